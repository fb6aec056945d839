"""Sign-in throttling: after a few failures each try waits longer, after many the name (or the
client) is locked for a while. Counted from the audit log, so every console process agrees."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from console import defaults
from store.audit import login_failures

UNKNOWN_CLIENT = "unknown"


def client_address() -> str:
    """The browser's address as Streamlit sees it (the proxy's, behind one)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else UNKNOWN_CLIENT


def seconds_to_wait(failures: int, newest: datetime | None, now: datetime) -> float:
    """How long until the next try is allowed, after `failures` recent failures (0: now)."""
    if newest is None or failures < defaults.SLOW_AFTER_FAILURES:
        return 0.0
    if failures >= defaults.LOCK_AFTER_FAILURES:
        delay = defaults.LOCK_SECONDS
    else:
        doublings = failures - defaults.SLOW_AFTER_FAILURES
        delay = min(
            defaults.SLOW_FIRST_DELAY_SECONDS * 2**doublings, defaults.SLOW_MAX_DELAY_SECONDS
        )
    return max(0.0, (newest + timedelta(seconds=delay) - now).total_seconds())


def refusal(name: str, client: str, now: datetime | None = None) -> str | None:
    """Why a sign-in of `name` from `client` may not be tried now; None when it may."""
    now = now or datetime.now(UTC)
    since = now - timedelta(seconds=defaults.FAILURE_WINDOW_SECONDS)
    waits = [
        (seconds_to_wait(*login_failures(since, actor=name), now), "this user"),
        (seconds_to_wait(*login_failures(since, client=client), now), "this address"),
    ]
    wait, scope = max(waits)
    if wait <= 0:
        return None
    if wait > defaults.SLOW_MAX_DELAY_SECONDS:
        return f"Too many failed sign-ins for {scope}: locked for {wait / 60:.0f} more minute(s)."
    return f"Too many failed sign-ins for {scope}: try again in {wait:.0f} s."
