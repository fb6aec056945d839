"""Shadow review: what a child in shadow mode would receive, field by field against its entity
in МойСклад now; and the child's sync mode switch (confirmed, audited)."""

import pandas as pd
import streamlit as st

from console import data, sync_data
from console.actions import perform
from console.sync_diff import request_diff
from console.widgets import account_picker
from store.sync_modes import SYNC_MODES, audit_target, set_sync_mode
from store.users import ConsoleUser

MEANING = {
    "off": "tasks wait; nothing is applied",
    "shadow": "everything but the write: each request it would send is recorded for review here",
    "live": "tasks are written to the child's МойСклад account",
}


def shadow_review(user: ConsoleUser) -> None:
    child = account_picker("Child", key="review_child", types=("child",))
    if child is None:
        st.info("No child accounts yet.")
        return
    accounts = data.account_list().set_index("id")
    name, mode = accounts.loc[child, "name"], accounts.loc[child, "sync_mode"]
    st.markdown(f"**{name}** is in **{mode}** mode: {MEANING[mode]}.")
    if user.can_act:
        mode_switch(user, child, name, mode)
    tasks = sync_data.shadow_requests(child)
    if not tasks:
        st.info(f"No request recorded in shadow mode for {name} yet.")
        return
    current, error = current_entities(child, tasks)
    if error:
        st.warning(error)
    summary = []
    for task in tasks:
        rows = request_diff(sent_item(task["request"]), current.get(task["id"]))
        changed = [row["field"] for row in rows if row["changes"]]
        exists = current.get(task["id"]) is not None
        summary.append(
            {
                "task": task["id"],
                "entity": f"{task['entity_type']} {task['entity_id']}",
                "operation": task["operation"],
                "kind": (task["request"] or {}).get("kind", ""),
                "recorded at": task["finished_at"],
                "would": ("change " + ", ".join(changed) if changed else "change nothing")
                if exists
                else "create it",
            }
        )
    st.dataframe(pd.DataFrame(summary), hide_index=True, width="stretch")
    by_id = {task["id"]: task for task in tasks}
    chosen = st.selectbox(
        "Compare a request field by field",
        [None, *by_id],
        format_func=lambda i: "—" if i is None else f"#{i}",
        key="review_task",
    )
    if chosen is not None:
        task = by_id[chosen]
        diff = pd.DataFrame(request_diff(sent_item(task["request"]), current.get(chosen)))
        st.dataframe(
            diff.style.apply(
                lambda row: ["background-color: #fff3cd" if row["changes"] else ""] * len(row),
                axis=1,
            ),
            hide_index=True,
            width="stretch",
        )
        with st.expander("The request as it would be sent"):
            st.json(task["request"] or {})


def sent_item(request: dict | None) -> dict:
    """The item of the bulk POST a task's request records (the executor stores method, path,
    kind and item); a bare item is taken as it is."""
    request = request or {}
    return request["item"] if isinstance(request.get("item"), dict) else request


def current_entities(child: str, tasks: list[dict]) -> tuple[dict[int, dict], str | None]:
    """task id → the child's entity it would write, read from МойСклад now (one GET per type)."""
    wanted: dict[str, dict[int, str]] = {}
    for task in tasks:
        entity_id = child_entity_id(child, task)
        if entity_id:
            wanted.setdefault(task["entity_type"], {})[task["id"]] = entity_id
    found, errors = {}, []
    for entity_type, ids in wanted.items():
        entities, error = sync_data.read_entities(
            child, entity_type, tuple(sorted(set(ids.values())))
        )
        errors += [error] if error else []
        found |= {task_id: entities.get(entity_id) for task_id, entity_id in ids.items()}
    return found, "; ".join(errors) or None


def child_entity_id(child: str, task: dict) -> str | None:
    """The child's entity a request writes: its `meta` (an update), else the mapping, if any."""
    href = (sent_item(task["request"]).get("meta") or {}).get("href")
    if href:
        return href.split("?")[0].rsplit("/", 1)[-1]
    ids = sync_data.child_entity_ids(child, task["entity_type"], (task["entity_id"],))
    return ids.get(task["entity_id"])


def mode_switch(user: ConsoleUser, child: str, name: str, mode: str) -> None:
    with st.expander(f"Switch {name}'s sync mode"):
        choices = [m for m in SYNC_MODES if m != mode]
        new = st.radio("New mode", choices, horizontal=True, key=f"new_mode_{child}")
        confirmed = st.checkbox(
            f"Yes, switch {name} from {mode} to {new}: {MEANING[new]}",
            key=f"confirm_mode_{child}_{new}",
        )
        if st.button(f"Switch to {new}", disabled=not confirmed, key=f"switch_mode_{child}"):
            perform(
                user,
                "set sync mode",
                audit_target(child),
                {"from": mode, "to": new},
                lambda: set_sync_mode(child, new, user.name, user.role, audit=False),
                lambda change: change.describe(),
            )
