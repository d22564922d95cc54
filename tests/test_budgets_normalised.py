"""The Budgets page in proportion (share of GDP, per person) and its empty-filter message,
run by Streamlit's AppTest on the shipped record."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGE = str(ROOT / "pages/budgets.py")


def budgets_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in (params or {}).items():  # AppTest opens pages by switching, not by URL
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def chart_titles(at: AppTest) -> list[str]:
    return [el.proto.spec for el in at.get("plotly_chart")]


def test_share_of_gdp_is_shown_with_its_basis_on_the_chart():
    at = budgets_page()
    at.radio(key="budget_basis").set_value("share_gdp").run()
    assert not at.exception, [e.message for e in at.exception]
    specs = chart_titles(at)
    assert len(specs) == 1
    # the basis is said on the figure itself (title and subtitle), not only beside it
    assert "share of gdp" in specs[0].lower() and "MS.MIL.XPND.GD.ZS" in specs[0]
    assert "% of GDP" in specs[0]
    assert at.selectbox(key="budget_measure").disabled  # measures are nominal money only
    captions = " ".join(c.value for c in at.caption)
    assert "Constant prices are not offered" in captions


def test_per_person_is_shown_for_a_host():
    at = budgets_page({"host": "XKX"})
    at.radio(key="budget_basis").set_value("per_capita").run()
    spec = chart_titles(at)[0]
    assert "Kosovo" in spec and "SP.POP.TOTL" in spec
    assert "Serbia" not in spec  # the host filter narrows the countries


def test_a_filter_that_leaves_nothing_says_so_and_names_the_filter():
    at = budgets_page({"contributor": "USA"})
    infos = [i.value for i in at.info]
    message = next((m for m in infos if m.startswith("Nothing to show")), None)
    assert message, infos
    assert "contributor: United States" in message and "Kosovo" in message
    assert "Military expenditure (SIPRI)" in message  # the measure the page opens on
    assert not chart_titles(at)  # no empty chart in place of the explanation
    at.radio(key="budget_basis").set_value("share_gdp").run()
    assert any("contributor: United States" in i.value and "share of GDP" in i.value
               for i in at.info), [i.value for i in at.info]
    assert not chart_titles(at)


def test_a_link_reopens_the_same_budget_chart_and_names_what_it_ignores():
    at = budgets_page({"measure": "ministry_budget", "currency": "USD", "log": "1"})
    assert at.selectbox(key="budget_measure").value == "ministry_budget"
    assert at.radio(key="budget_currency").value == "USD"
    assert at.toggle(key="budgets_log").value is True
    assert at.query_params["measure"] in ("ministry_budget", ["ministry_budget"])
    at.radio(key="budget_currency").set_value("EUR").run()
    assert "currency" not in at.query_params  # the default is not written
    at = budgets_page({"show": "<b>bogus</b>", "measure": "everything"})
    assert at.radio(key="budget_basis").value == "nominal"
    assert at.selectbox(key="budget_measure").value == "sipri_expenditure"
    ignored = [c.value for c in at.caption if c.value.startswith("Ignored in the link")]
    assert ignored and "measure=everything" in ignored[0] and "<b>" not in ignored[0]
