"""Operator actions: only operators may run them, and every run is written to the audit log."""

from collections.abc import Callable
from typing import Any

import streamlit as st
from redis.exceptions import RedisError

from store.accounts import AccountError
from store.audit import record_action
from store.users import ConsoleUser

# What an action may fail with and still leave the console usable; the message goes to the audit.
EXPECTED_FAILURES = (AccountError, ValueError, RedisError)
FLASH_KEY = "console_flash"


def perform(
    user: ConsoleUser,
    action: str,
    target: str,
    details: dict,
    run: Callable[[], Any],
    describe: Callable[[Any], str] = str,
    on_audit: Callable[[int, Any], None] | None = None,
) -> None:
    """Run one action as `user`, record it (ok or the error), then rerun to show fresh data.
    `on_audit(audit_id, result)` links what the action made (a report) to its audit entry."""
    if not user.can_act:
        record_action(user.name, user.role, action, target, details, "refused: not an operator")
        st.error("Only operators can do this.")
        return
    value = None
    try:
        value = run()
        result, kind = f"ok: {describe(value)}", "success"
    except EXPECTED_FAILURES as exc:
        result, kind = f"error: {exc}", "error"
    audit_id = record_action(user.name, user.role, action, target, details, result)
    if on_audit is not None and kind == "success":
        on_audit(audit_id, value)
    st.cache_data.clear()  # the rerun reads what the action changed
    st.session_state[FLASH_KEY] = (kind, f"{action} — {result}")
    st.rerun()


def show_outcome() -> None:
    """The outcome of the action that caused this rerun, once."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        kind, message = flash
        (st.success if kind == "success" else st.error)(message)
