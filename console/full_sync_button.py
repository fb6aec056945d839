"""A child's full sync from the Accounts page: confirmed, queued as a job, audited."""

import streamlit as st
from rq.job import Job, NoSuchJobError

from console import runtime
from console.actions import perform
from jobs.sync.full_sync_job import enqueue_full_sync, full_sync_job_id
from store.users import ConsoleUser


def full_sync_button(user: ConsoleUser, account_id: str, target: str) -> None:
    st.subheader("Full sync")
    st.caption(
        "Pages through the main account's catalogue, links what this child already has by its"
        " match field (ambiguous and conflicting keys are reported, not guessed) and queues"
        " creates and updates for the rest. A dry run only reports."
    )
    for dry_run in (True, False):
        _last_report(account_id, dry_run)
    if not user.can_act:
        return
    dry_run = st.checkbox("Dry run (report only)", value=True, key="full_sync_dry_run")
    sure = st.checkbox("I understand that this queues writes to the child", key="full_sync_ok")
    if st.button("Queue full sync", disabled=not (dry_run or sure)):
        perform(
            user,
            "full sync",
            target,
            {"dry_run": dry_run},
            lambda: enqueue_full_sync(runtime.redis(), account_id, dry_run),
            lambda job_id: f"queued ({job_id})",
        )


def _last_report(account_id: str, dry_run: bool) -> None:
    try:
        job = Job.fetch(full_sync_job_id(account_id, dry_run), connection=runtime.redis())
    except NoSuchJobError:
        return
    label = "dry run" if dry_run else "full sync"
    status = job.get_status()
    report = job.return_value() if status == "finished" else None
    with st.expander(f"Last {label}: {status}"):
        if report:
            st.dataframe(report["types"], hide_index=True)
            st.write(f"tasks queued {report['tasks_written']}, merged {report['tasks_merged']}")
        else:
            result = job.latest_result()
            if result is not None and result.exc_string:
                st.code(result.exc_string.strip().splitlines()[-1])
