import subprocess
import sys


def test_validate_passes_on_the_shipped_data():
    out = subprocess.run([sys.executable, "-m", "presence.cli", "validate"], capture_output=True,
                         text=True)
    assert out.returncode == 0 and "valid" in out.stdout


def test_validate_names_the_problem(data_copy):
    path = data_copy / "budgets.csv"
    path.write_text(path.read_text().replace(",EUR,", ",EURO,", 1))
    out = subprocess.run([sys.executable, "-m", "presence.cli", "validate", "--data",
                          str(data_copy)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "budgets.csv, line 2, field 'currency'" in out.stderr


def test_coverage_report_is_current(ds):
    from presence.record.coverage import report
    from presence.record.dataset import DEFAULT_DATA_DIR

    on_disk = (DEFAULT_DATA_DIR / "COVERAGE.md").read_text(encoding="utf-8")
    assert on_disk == report(ds), "data/ changed: run `presence coverage` and commit"


def test_coverage_names_gaps(data_copy):
    from presence.record.coverage import missions_table
    from presence.record.dataset import load_dataset

    path = data_copy / "troops.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not (line.startswith("KFOR,ALL,") and ",2005" in line)]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    table = missions_table(load_dataset(data_copy), 2025).set_index("mission")
    assert "2005" in table.loc["KFOR", "years without"]
