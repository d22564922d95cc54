"""The code as the project wants it read: `ruff check` clean with the settings in
pyproject.toml, and no dead code by vulture's count (its hooks for other libraries named)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# names other libraries call or read, which vulture cannot see used
HOOKS = ["do_GET", "log_message", "daemon_threads", "pytestmark", "uses_pages_directory",
         "_create_connection"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_ruff_finds_nothing():
    out = run("ruff", "check", "--no-cache", ".")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_no_dead_code():
    out = run("vulture", "presence", "pages", "dashboard.py", "scripts", "bench", "tests",
              "--min-confidence", "60", "--ignore-names", ",".join(HOOKS))
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
