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
import re
import secrets as pysecrets

ITERATIONS = 240_000


def make_hash(password: str, iterations: int = ITERATIONS) -> str:
    salt = pysecrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


class HashError(ValueError):
    """The configured curator hash is malformed: a configuration error, not a wrong password."""


# Far above ITERATIONS; a hash asking for more would make every login hang.
MAX_ITERATIONS = 10_000_000
_HEX = re.compile(r"(?:[0-9a-f]{2})+")


def parse_hash(stored: str) -> tuple[int, bytes, str]:
    """(iterations, salt, digest hex) of a stored hash, or HashError saying what is wrong."""
    form = "pbkdf2_sha256$ITERATIONS$SALT_HEX$HASH_HEX (make one with `presence hash-password`)"
    parts = str(stored).strip().split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256":
        raise HashError(f"the curator password hash is not of the form {form}")
    _, iterations, salt, digest = parts
    if not iterations.isascii() or not iterations.isdigit() \
            or not 1 <= int(iterations) <= MAX_ITERATIONS:
        raise HashError(f"the curator password hash's iteration count {iterations[:20]!r} is "
                        f"not a number from 1 to {MAX_ITERATIONS:,}")
    if not _HEX.fullmatch(salt.lower()) or not _HEX.fullmatch(digest.lower()) \
            or len(digest) != 64:
        raise HashError(f"the curator password hash's salt or digest is not hexadecimal "
                        f"(expected {form})")
    return int(iterations), bytes.fromhex(salt), digest.lower()


def check(password: str, stored: str) -> bool:
    """Whether `password` matches; raises HashError when `stored` itself is malformed."""
    iterations, salt, digest = parse_hash(stored)
    got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), salt,
                              iterations)
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
