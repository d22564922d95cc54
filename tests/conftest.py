import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from presence.record.dataset import DEFAULT_DATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds():
    return load_dataset(DEFAULT_DATA_DIR)


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the shipped dataset, so tests never touch data/."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def start_dashboard(env=None):
    """`streamlit run dashboard.py` on a free port of 127.0.0.1, as a user starts it;
    returns (base URL, process) once the server answers its health check."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                return base, proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("streamlit did not start")


@pytest.fixture(scope="module")
def server():
    """The dashboard running for one test module (the browser tests)."""
    base, proc = start_dashboard()
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def dashboard_starter():
    """start_dashboard itself, for a test that runs the dashboard with its own settings."""
    return start_dashboard
