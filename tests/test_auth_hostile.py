"""A malformed curator hash is a clear configuration error, never an exception on the form."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from presence.app import auth

ROOT = Path(__file__).resolve().parent.parent
GOOD = auth.make_hash("pw-for-tests", iterations=1000)
MALFORMED = ["garbage", "pbkdf2_sha256$x$00$" + "0" * 64,
             "pbkdf2_sha256$99999999999$00$" + "0" * 64,  # would hang every login
             "pbkdf2_sha256$1000$zz$" + "0" * 64, "pbkdf2_sha256$1000$00$abc",
             "md5$1$00$" + "0" * 64, "pbkdf2_sha256$0$00$" + "0" * 64]


def test_a_good_hash_checks_passwords():
    assert auth.check("pw-for-tests", GOOD) and not auth.check("wrong", GOOD)


@pytest.mark.parametrize("stored", MALFORMED)
def test_a_malformed_hash_is_a_named_configuration_error(stored):
    with pytest.raises(auth.HashError, match="curator password hash"):
        auth.check("pw-for-tests", stored)


@pytest.mark.parametrize("stored", MALFORMED[:3])
def test_the_login_form_reports_a_malformed_hash(monkeypatch, tmp_path, stored):
    monkeypatch.setenv("PRESENCE_CURATOR_HASH", stored)
    monkeypatch.setenv("PRESENCE_STORE", str(tmp_path / "s.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page(str(ROOT / "pages/curate.py"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("curator login is misconfigured" in e.value for e in at.error)
    assert not any(b.label == "Log in" for b in at.button)  # no form to trip over
