"""Entry of the operator console: sign-in gate, then the pages (`streamlit run console/app.py`)."""

import sys
from pathlib import Path

# `streamlit run` puts console/ on sys.path, not the repository root the packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from console import auth, runtime
from console.readable import time_zone_picker
from console.verdict_banner import verdict_banner

# Not "pages/": Streamlit would serve a pages/ folder by URL, around the sign-in gate.
PAGES_DIR = Path(__file__).parent / "views"

st.set_page_config(page_title="МойСклад webhooks", page_icon=":material/sync_alt:", layout="wide")
user = auth.require_login()
auth.logout_button(user)
time_zone_picker()
dashboard_url = runtime.settings().rq_dashboard_url
# rq-dashboard can empty queues and delete jobs: operators only (it asks for its own password).
if user.can_act and dashboard_url:
    st.sidebar.link_button("Queues (rq-dashboard) ↗", dashboard_url)
elif user.can_act:
    st.sidebar.caption("rq-dashboard: set RQ_DASHBOARD_URL to link it here.")

page = st.navigation(
    [
        st.Page(
            PAGES_DIR / "overview.py", title="Overview", icon=":material/monitoring:", default=True
        ),
        st.Page(PAGES_DIR / "logs.py", title="Logs", icon=":material/list_alt:"),
        st.Page(PAGES_DIR / "webhooks.py", title="Webhooks", icon=":material/webhook:"),
        st.Page(PAGES_DIR / "accounts.py", title="Accounts", icon=":material/store:"),
        st.Page(PAGES_DIR / "alerts.py", title="Alerts", icon=":material/notifications:"),
        st.Page(PAGES_DIR / "sync.py", title="Sync", icon=":material/cloud_sync:"),
    ]
)
with runtime.connected():
    verdict_banner()
    page.run()
