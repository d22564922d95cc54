"""The README's first-run commands: which Python, a virtual environment, CI runs the same
line, and a skipped test says why."""
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_readme_says_which_python_and_makes_a_virtual_environment():
    run_line, test_line = quick_start_commands()
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == ">=3.11"
    assert "Python 3.11 or newer" in (ROOT / "README.md").read_text(encoding="utf-8")
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert run_line.startswith(venv + "pip install -e . && ")
    assert run_line.endswith("streamlit run dashboard.py")
    assert test_line.startswith("apt-get update && apt-get install -y chromium ")
    assert venv + "pip install -e '.[test]' && python -m pytest" in test_line
    assert "/.venv/" in (ROOT / ".gitignore").read_text().splitlines()


def test_ci_runs_the_readme_test_line():
    _, test_line = quick_start_commands()
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith("#")]
    assert ci[-1] == test_line


def test_a_skipped_test_says_why_in_the_summary():
    """pyproject's addopts has -rs: the summary names each skip and its reason."""
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "tests/test_browser.py::test_overview_path_opens_the_overview_with_no_page_not_found"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**{k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"},
             "CHROMIUM": "/nonexistent/chromium"})
    assert out.returncode == 0, out.stdout[-2000:]
    assert re.search(r"SKIPPED \[1\] .*no Chromium at /nonexistent/chromium", out.stdout), \
        out.stdout[-2000:]


@pytest.mark.skipif(not os.environ.get("PRESENCE_TEST_INSTALL"),
                    reason="installs every dependency into a fresh virtual environment "
                           "(minutes); set PRESENCE_TEST_INSTALL=1 to run it")
def test_readme_install_step_works_in_a_clean_virtual_environment(tmp_path):
    """The dashboard line up to `streamlit run`, run as written, in a copy of the project."""
    run_line, _ = quick_start_commands()
    install = run_line.removesuffix("streamlit run dashboard.py").rstrip(" &")
    project = tmp_path / "presence"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache"))
    out = subprocess.run(
        ["bash", "-c", f"set -euo pipefail; {install} && python -c 'import sys, presence, "
                       f"streamlit; print(sys.prefix, sys.version_info >= (3, 11))' "
                       f"&& streamlit version"],
        cwd=project, capture_output=True, text=True, timeout=1800,
        env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert f"{project / '.venv'} True" in out.stdout
    assert "Streamlit, version" in out.stdout
