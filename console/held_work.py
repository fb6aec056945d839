"""A loop alert's held work on the Alerts page: resolve by releasing it or by discarding it."""

import streamlit as st

from console.actions import perform
from console.runtime import redis
from jobs.processing.held import decide_loop_alert, describe
from store.users import ConsoleUser


def held_work(
    user: ConsoleUser, alert: dict, counts: tuple[int, int], target: str, details: dict
) -> None:
    """The two ways to resolve a loop_suspected alert, each audited by the action wrapper."""
    release, discard, _ = st.columns([2, 2, 3])
    for column, choice, label in (
        (release, "release", "Resolve: release held work"),
        (discard, "discard", "Resolve: discard held work"),
    ):
        if column.button(label, key=f"{choice}_{alert['id']}"):
            perform(
                user,
                f"{choice} held work",
                target,
                {**details, "held_tasks": counts[0]},
                lambda a=alert, c=choice: decide_loop_alert(
                    redis(), a["id"], c, user.name, user.role, audit=False
                ),
                describe,
            )
