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
