"""The curator's login as the web app draws it (the hashing is in auth.py):
an OIDC provider where one is configured, else a name and the curator
password; with neither, the Curate page is out of the menu and writes nothing.
"""
from __future__ import annotations

import streamlit as st

from presence.app import auth
from presence.view import text


def curator_login_configured() -> bool:
    """Whether a curator can log in here: an OIDC provider (`[auth]` in secrets) or a
    curator password hash (secrets or PRESENCE_CURATOR_HASH). Without one, the Curate
    page is left out of the menu: it could change nothing."""
    try:
        secrets_obj = st.secrets
        if "auth" in secrets_obj:
            return True
    except Exception:  # no secrets file
        secrets_obj = None
    return auth.configured_hash(secrets_obj) is not None


def curator_login() -> str:
    """The logged-in curator's name; otherwise draws the login and stops the page.

    With no login configured at all, the page says so and stops: the web app
    writes nothing without a curator.
    """
    try:
        oidc = "auth" in st.secrets
    except Exception:  # no secrets file
        oidc = False
    if oidc:
        if not st.user.is_logged_in:
            st.button("Log in", on_click=st.login)
            st.stop()
        return str(st.user.get("email") or st.user.get("name") or "oidc user")
    if st.session_state.get("curator"):
        return st.session_state.curator
    try:
        secrets_obj = st.secrets
    except Exception:
        secrets_obj = None
    stored = auth.configured_hash(secrets_obj)
    if not stored:
        st.warning("No curator login is configured, so this page cannot change the dataset. "
                   "Set `curator_password_hash` in .streamlit/secrets.toml or the "
                   "PRESENCE_CURATOR_HASH environment variable (make one with "
                   "`presence hash-password`).")
        st.stop()
    try:
        auth.parse_hash(stored)
    except auth.HashError as exc:  # a configuration error, not a wrong password
        st.error("The curator login is misconfigured: "
                 + text.md_escape(str(exc)).replace("$", "\\$") + ". Fix "
                 "`curator_password_hash` (or PRESENCE_CURATOR_HASH); this page writes nothing "
                 "until then.")
        st.stop()
    with st.form("login"):
        name = st.text_input("Your name (for the audit log)")
        password = st.text_input("Curator password", type="password")
        if st.form_submit_button("Log in"):
            if name.strip() and auth.check(password, stored):
                st.session_state.curator = name.strip()
                st.rerun()
            st.error("Name and curator password are both needed, and must be right.")
    st.stop()
