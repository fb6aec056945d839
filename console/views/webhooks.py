"""Webhooks: per account, what should be installed against what is, their health and traffic;
reinstall or check now (RQ jobs whose reports show here when done)."""

import streamlit as st
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from console import data, runtime
from console.actions import perform, show_outcome
from console.auth import current_user
from console.webhook_table import webhook_overview
from console.widgets import account_picker, audit_trail
from jobs.queues import enqueue_setup

POLL_SECONDS = 2
JOBS_KEY = "setup_jobs"  # account id -> (RQ job id, mode) of the last job started from here
FINISHED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)

user = current_user()
st.title("Webhooks")
show_outcome()
accounts = data.account_list()
if accounts.empty:
    st.info("No accounts yet: add one with `python -m scripts.accounts add`.")
    st.stop()
account_id = account_picker(key="webhooks_account")
account = accounts[accounts["id"] == account_id].iloc[0]
target = f"webhooks:{account_id}"

table = webhook_overview(account_id, account["account_type"])
installed = int(table["installed"].sum()) if not table.empty else 0
desired = int(table["desired"].sum()) if not table.empty else 0
tiles = st.columns(4)
tiles[0].metric("Desired", desired)
tiles[1].metric("Installed", installed)
tiles[2].metric("Missing", int((table["desired"] & ~table["installed"]).sum()) if desired else 0)
level, reasons = data.account_health(account_id)
tiles[3].metric("Account health", level)
if reasons:
    # A warning box either way: st.error is kept for the console's own failures.
    icon = ":material/error:" if level == "critical" else ":material/warning:"
    st.warning("\n".join(f"- {r}" for r in reasons), icon=icon)
if not account["webhooks_enabled"]:
    st.warning("Webhooks are switched off for this account (Accounts page).")
if table.empty:
    st.info("No webhooks desired or installed: the account has no type yet (Accounts page).")
else:
    st.dataframe(table, hide_index=True, width="stretch")


def start(mode: str) -> None:
    def run() -> str:
        job_id = enqueue_setup(runtime.redis(), account_id, mode=mode)
        st.session_state.setdefault(JOBS_KEY, {})[account_id] = (job_id, mode)
        return job_id

    perform(user, f"webhooks {mode}", target, {"mode": mode}, run, lambda j: f"job {j} queued")


if user.can_act:
    left, right, _ = st.columns([1, 1, 3])
    if left.button("Check now", help="Compare with МойСклад without changing anything"):
        start("check")
    if right.button("Reinstall", help="Delete our webhooks in МойСклад and create them again"):
        start("reinstall")


@st.fragment(run_every=POLL_SECONDS)
def job_report() -> None:
    job_id, mode = st.session_state.get(JOBS_KEY, {}).get(account_id, (None, None))
    if job_id is None:
        return
    try:
        job = Job.fetch(job_id, connection=runtime.redis())
    except NoSuchJobError:
        st.caption(f"The {mode} job {job_id} has expired.")
        return
    status = JobStatus(job.get_status())
    if status not in FINISHED:
        st.info(f"{mode.capitalize()} job {job_id}: {status.value} …")
        return
    if status == JobStatus.FINISHED:
        st.success(f"{mode.capitalize()} finished")
        st.json(job.return_value(), expanded=2)
    else:
        st.error(f"{mode.capitalize()} job {job_id} {status.value}")
        st.code((job.latest_result().exc_string if job.latest_result() else "") or "")


job_report()
audit_trail("Operator actions on these webhooks", target=target)
