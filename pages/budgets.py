"""Budgets: the region's defence budgets by country and year, converted where a rate is sourced."""
from types import SimpleNamespace

import streamlit as st

from presence.app import data, links, shell, state, widgets
from presence.record import schema
from presence.view import charts, normalise, query
from presence.view.filters import PageOption, page_options_query

shell.require_shell()
ds = data.dataset()
f = state.filters()

st.title("Defence budgets")
st.caption("Budgets as reported, in the reported currency. A conversion to EUR or USD uses a "
           "sourced yearly average rate; figures with no rate on file are left out of a "
           "converted view rather than guessed. Host and contributor filters narrow the "
           "countries shown.")

MEASURES = {"": "All measures", **schema.MEASURE_LABEL}
SHOW_AS = {"nominal": "Money (as budgeted)",
           **{key: b.label for key, b in normalise.BASES.items()}}
CURRENCIES = ["EUR", "USD", "reported"]
# The page's own URL keys, so a copied link reopens the same chart: read on a first visit
# (a value the page does not know is named and ignored), written back on every run.
OWN_KEYS = {"show": PageOption("budget_basis", tuple(SHOW_AS), "nominal"),
            "measure": PageOption("budget_measure", tuple(MEASURES), "sipri_expenditure"),
            "currency": PageOption("budget_currency", tuple(CURRENCIES), "EUR"),
            "log": PageOption("budgets_log", ("1", "0"), "0")}
state.seed_page_options(OWN_KEYS)
basis = st.radio("Show as", list(SHOW_AS), format_func=SHOW_AS.get, horizontal=True,
                 key="budget_basis",
                 help="Share of GDP and per person come from the World Bank's copies of "
                      "SIPRI's figures and its population series, so they cover SIPRI's "
                      "definition only. " + normalise.NO_CONSTANT_PRICES)
nominal = basis == "nominal"
c1, c2, c3 = st.columns([2, 2, 1])
measure = c1.selectbox("Measure", list(MEASURES), format_func=MEASURES.get,
                       key="budget_measure", disabled=not nominal,
                       help="SIPRI military expenditure is the one definition applied to every "
                            "state alike, so it opens first; ministry budgets and NATO-defined "
                            "expenditure count different things (pensions, security services) "
                            "and are never added together. Total defence allocations add "
                            "defence money outside the ministry's own line (pensions, loans, "
                            "capital or security funds, top-ups), so they sit above it. "
                            "Kosovo's ministry budget series is fuller than its SIPRI one.")
currency = c2.radio("Currency", CURRENCIES, horizontal=True,
                    key="budget_currency", disabled=not nominal,
                    help="'reported' shows one panel per currency, never mixing them.")
log = c3.toggle("Log scale", key="budgets_log",
                help="Serbia and Croatia spend several times what the others do; a log "
                     "scale keeps the smaller states' trends readable.")


@data.cached_view
def budgets_view(version, f, measure: str, currency: str, log: bool):
    ds = data.dataset()
    b = query.budgets(ds, f, measure or None)
    dated = b.assign(date=b.year.astype(str))
    # The exported image's title says the currency too: it travels without the selector.
    title = f"{MEASURES[measure]} by country" + ("" if currency == "reported"
                                                 else f", in {currency}")
    return SimpleNamespace(
        budgets=b, dated=dated, table=links.link_columns(b),
        chart=data.figure(charts.budgets_chart, b, currency, title=title, log=log),
        caption=widgets.make_caption(title, f, dated))


@data.cached_view
def normalised_view(version, f, basis: str, log: bool):
    ds = data.dataset()
    n = normalise.for_filters(ds, f, basis)
    dated = n.assign(date=n.year.astype(str))
    spec = normalise.BASES[basis]
    title = f"{spec.title}, by country"
    return SimpleNamespace(
        frame=n, dated=dated, basis=spec.basis,
        chart=data.figure(charts.normalised_chart, n, spec.unit, title, spec.basis, log=log),
        caption=widgets.make_caption(f"{title} ({spec.unit})", f, dated, note=spec.basis),
        known=normalise.countries_with_data(ds, basis))


def nothing_to_show(what: str, known: list[str]) -> None:
    """Say which filter left the view empty and what the record does cover."""
    st.info(f"Nothing to show for {f.describe(query.country_names(ds))}. {what} is recorded "
            f"for {', '.join(known)} only: choose one of those as host or contributor, or "
            "clear the filter.")


state.set_page_query(**page_options_query(OWN_KEYS, {
    "show": basis, "measure": measure, "currency": currency, "log": "1" if log else "0"}))
view = budgets_view(data.data_version(), f, measure, currency, log)
b = view.budgets
if not nominal:
    shown = normalised_view(data.data_version(), f, basis, log)
    if shown.frame.empty:
        nothing_to_show(normalise.BASES[basis].title, shown.known)
    else:
        widgets.chart(shown.chart, key="budgets_normalised_chart", frame=shown.dated,
                 caption=shown.caption)
        st.caption(f"{shown.basis} {normalise.NO_CONSTANT_PRICES}")
elif b.empty:
    nothing_to_show(MEASURES[measure] if measure else "A defence budget",
                    normalise.countries_with_data(ds, "nominal", measure or None))
else:
    widgets.chart(view.chart, key="budgets_chart", frame=view.dated, caption=view.caption)
if nominal and currency != "reported":
    missing = b[b[f"amount_{currency.lower()}"].isna()]
    if not missing.empty:
        st.info(f"{len(missing)} figure(s) are not shown in {currency}: no sourced exchange rate "
                f"for {', '.join(sorted(set(missing.currency + ' ' + missing.year.astype(str))))}.")

with st.expander("What each measure counts"):
    st.markdown("\n".join(f"- **{MEASURES.get(m, m)}**: {text}"
                           for m, text in schema.MEASURE_DEFINITIONS.items()))

st.subheader("Figures and change year on year")
table = view.table
st.dataframe(
    table[["country_name", "year", "measure", "amount", "currency", "amount_eur", "amount_usd",
           "change_pct", "qualifier", "flag", "outlet", "source", "note"]],
    column_config={"source": links.SOURCE_COLUMN, "country_name": "country",
                   "amount": st.column_config.NumberColumn(format="%,.0f"),
                   "amount_eur": st.column_config.NumberColumn("EUR", format="%,.0f"),
                   "amount_usd": st.column_config.NumberColumn("USD", format="%,.0f"),
                   "change_pct": st.column_config.NumberColumn("change vs year before (%)",
                                                               format="%.1f")},
    hide_index=True, width="stretch")
st.caption("Change year on year is computed within one country, measure and currency, only "
           "between adjacent years. 'flag' marks a figure the curator derived from stated ones "
           "(derived) or has reason to doubt (doubtful); the note says how or why.")
