"""The login gate: nothing but the login form renders until a CONSOLE_USERS user signs in."""

import streamlit as st

from console import login_guard, runtime
from store.audit import record_action
from store.users import ConsoleUser, UserSpecError, authenticate, parse_users

SESSION_KEY = "console_user"


def configured_users() -> dict[str, ConsoleUser]:
    return parse_users(runtime.settings().console_users)


def current_user() -> ConsoleUser | None:
    """The signed-in user, re-read from CONSOLE_USERS each run (a removed user is signed out)."""
    name = st.session_state.get(SESSION_KEY)
    return configured_users().get(name) if name else None


def require_login() -> ConsoleUser:
    """The signed-in user; otherwise render the login form and stop the run."""
    try:
        user = current_user()
    except UserSpecError as exc:
        st.error(f"The console cannot start: {exc}")
        st.stop()
    if user is not None:
        return user
    # A deep link (/logs) of a signed-out session must not resolve to a page:
    # signed out, the login form is the only page navigation knows.
    st.navigation([st.Page(_login_form, title="Sign in", default=True)], position="hidden").run()
    st.stop()


def _login_form() -> None:
    st.title("МойСклад webhooks — sign in")
    users = configured_users()
    if not users:
        st.error(
            "No console users are configured. Set CONSOLE_USERS to entries printed by "
            "`python -m scripts.console_user NAME ROLE`."
        )
        return
    with st.form("login"):
        name = st.text_input("User")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if not submitted:
        return
    name, client = name.strip() or "-", login_guard.client_address()
    with runtime.connected():
        refused = login_guard.refusal(name, client)
        if refused:
            record_action(name, "anonymous", "login", "console", {"client": client},
                          "refused")  # fmt: skip
            st.error(refused)
            return
        user = authenticate(users, name, password)
        record_action(
            name,
            user.role if user else "anonymous",
            "login",
            "console",
            {"client": client},
            "ok" if user else "failed",
        )
    if user is None:
        st.error("Wrong user or password.")
        return
    st.session_state[SESSION_KEY] = user.name
    st.rerun()


def logout_button(user: ConsoleUser) -> None:
    st.sidebar.caption(f"Signed in as **{user.name}** ({user.role})")
    if st.sidebar.button("Sign out"):
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()
