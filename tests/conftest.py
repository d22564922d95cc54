import shutil
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
