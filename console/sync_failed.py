"""The Sync page's failed tasks: filter, read the reason, retry one or all matching (confirmed)."""

import pandas as pd
import streamlit as st

from console import runtime, sync_data
from console.actions import perform
from console.widgets import account_picker
from jobs.sync.retries import Retried, retry_failed_tasks
from store.sync_reports import TaskFilter
from store.users import ConsoleUser

SHOWN = 100
ENTITY_TYPES = ("product", "service", "variant", "bundle", "productfolder",
                "customerorder", "retaildemand", "purchaseorder")  # fmt: skip
COLUMNS = ["id", "target_name", "entity_type", "entity_id", "operation", "attempts",
           "finished_at", "error"]  # fmt: skip


def describe(retried: Retried) -> str:
    done = retried.requeued
    text = f"{len(done.tasks)} task(s) re-queued"
    if done.left:
        text += f", {len(done.left)} left failed (a newer task of the same entity is pending)"
    if resting := len(set(done.targets) - set(retried.woken)):
        text += f"; {resting} target(s) not woken (sync mode off or not active)"
    return text


def failed_tasks(user: ConsoleUser) -> None:
    row = st.columns([2, 1, 2])
    with row[0]:
        target = account_picker("Target", key="sync_failed_target", allow_all=True)
    entity_type = row[1].selectbox(
        "Entity type", [None, *ENTITY_TYPES], format_func=lambda v: v or "All", key="sync_type"
    )
    search = row[2].text_input("Entity id or words of the reason", key="sync_search").strip()
    task_filter = TaskFilter(
        target_account_id=target, entity_type=entity_type, search=search or None
    )
    tasks, total, (would, left) = sync_data.failed(task_filter, SHOWN)
    if not total:
        st.success(
            "No failed task matches." if target or entity_type or search else "No failed tasks."
        )
        return
    st.caption(f"{total:,} failed task(s) match · the newest {min(total, SHOWN)} shown")
    frame = pd.DataFrame(tasks)[COLUMNS].rename(
        columns={"target_name": "target", "finished_at": "failed at", "error": "reason"}
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    if user.can_act:
        retry_all(user, task_filter, would, left)
    detail(user, tasks)


def retry_all(user: ConsoleUser, task_filter: TaskFilter, would: int, left: int) -> None:
    with st.expander("Retry all failed tasks matching this filter"):
        text = f"Yes, re-queue {would} failed task(s) now: pending, due now, attempts reset"
        if left:
            text += f" ({left} stay failed: a newer task of the same entity is pending)"
        confirmed = st.checkbox(text, key="confirm_sync_retry_all")
        if st.button("Retry all matching", disabled=not (confirmed and would)):
            details = {k: v for k, v in vars(task_filter).items() if v is not None}
            perform(
                user,
                "retry sync tasks",
                "sync:tasks",
                details,
                lambda: retry_failed_tasks(runtime.redis(), task_filter),
                describe,
            )


def detail(user: ConsoleUser, tasks: list[dict]) -> None:
    by_id = {task["id"]: task for task in tasks}
    task_id = st.selectbox(
        "Open a failed task",
        [None, *by_id],
        format_func=lambda i: "—" if i is None else f"#{i}",
        key="sync_failed_task",
    )
    task = by_id.get(task_id)
    if task is None:
        return
    st.error(task["error"] or "no reason recorded")
    what = (
        f"{task['operation']} of {task['entity_type']} {task['entity_id']} → {task['target_name']}"
    )
    st.markdown(f"**Task #{task['id']}**: {what} · {task['attempts']} attempt(s)")
    left, right = st.columns(2)
    left.markdown("Request")
    left.json(task["request"] or {}, expanded=1)
    right.markdown("Result (МойСклад's answer; earlier attempts under `history`)")
    right.json(task["result"] or {}, expanded=1)
    if not user.can_act:
        return
    confirmed = st.checkbox(
        f"Yes, re-queue task #{task['id']} ({what}) now", key=f"confirm_retry_{task['id']}"
    )
    if st.button(f"Retry task #{task['id']}", disabled=not confirmed):
        perform(
            user,
            "retry sync task",
            f"sync:task:{task['id']}",
            {"entity_type": task["entity_type"], "entity_id": task["entity_id"]},
            lambda: retry_failed_tasks(runtime.redis(), TaskFilter(task_id=task["id"])),
            describe,
        )
