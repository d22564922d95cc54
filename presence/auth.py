"""Curator login for the web app. Viewing needs none; every write does.

The password is never stored: a PBKDF2 hash sits in Streamlit secrets
(`curator_password_hash`) or in PRESENCE_CURATOR_HASH, written as
`pbkdf2_sha256$ITERATIONS$SALT_HEX$HASH_HEX` (make one with `presence hash-password`).
Where an OIDC provider is configured (an `[auth]` section in secrets), st.login
is used instead. With neither, the web app writes nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets as pysecrets

ITERATIONS = 240_000


def make_hash(password: str, iterations: int = ITERATIONS) -> str:
    salt = pysecrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    got = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(got.hex(), digest)


def configured_hash(secrets_obj=None) -> str | None:
    """The curator hash from Streamlit secrets, else the environment, else None."""
    if secrets_obj is not None:
        try:
            value = secrets_obj.get("curator_password_hash")
            if value:
                return str(value)
        except Exception:  # no secrets file at all
            pass
    return os.environ.get("PRESENCE_CURATOR_HASH") or None
