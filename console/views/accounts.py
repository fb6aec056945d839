"""Accounts: main or child, the franchise links, webhooks on/off, a child's sync settings."""

import streamlit as st

from console import data, runtime
from console.actions import perform, show_outcome
from console.auth import current_user
from console.confirm import confirmed_button
from console.full_sync_button import full_sync_button
from console.readable import readable
from console.sync_settings_form import sync_settings_form
from console.widgets import account_picker, audit_trail
from jobs.lifecycle.webhook_sets import wanted_pairs
from jobs.queues import after_type_change
from store.account_edits import set_webhooks_enabled
from store.accounts import get_account, link_child, set_account_type

TYPE_HELP = {
    "main": "**main** — the franchisor. Its products, services, variants, bundles and folders "
    "are copied to its children; it receives their orders.",
    "child": "**child** — a franchisee. It receives the main account's catalogue (through its "
    "filter and settings) and sends its orders to the main account.",
}
ACCOUNT_COLUMNS = ["name", "id", "account_type", "status", "webhooks_enabled", "parent_name",
                   "link_status"]  # fmt: skip
CHILD_COLUMNS = ["name", "status", "inactive_reason", "inactive_since"]


def _change_type(account_id: str, new_type: str) -> tuple[int, list[str]]:
    before = get_account(account_id)
    changed = set_account_type(account_id, new_type)
    return changed, after_type_change(
        runtime.redis(), account_id, before.app_id, before.account_type
    )


user = current_user()
st.title("Accounts")
show_outcome()
accounts = data.account_list()
if accounts.empty:
    st.info("No accounts yet: add one with `python -m scripts.accounts add`.")
    st.stop()
st.dataframe(readable(accounts[ACCOUNT_COLUMNS]), hide_index=True, width="stretch")

account_id = account_picker("Account to manage", key="accounts_account")
account = accounts[accounts["id"] == account_id].iloc[0]
target = f"account:{account_id}"

st.subheader("Type")
for text in TYPE_HELP.values():
    st.markdown(text)
current_type = account["account_type"]
st.caption(f"Current type: **{current_type or 'not set'}**")
if user.can_act:
    # Keyed by account: one account's choice is never offered on another's page.
    others = [t for t in TYPE_HELP if t != current_type]
    new_type = st.radio(
        "New type", others, horizontal=True, key=f"new_type_{account_id}",
        help="Only the types this account does not have yet.",
    )  # fmt: skip
    st.caption(
        "Changing the type marks every child link of this account inactive and reinstalls its "
        "webhooks: the ones of the old type are removed in МойСклад, the new type's are created."
    )
    links = sum(1 for c in data.children(account_id) if c["status"] == "active")
    if confirmed_button(
        f"Make it {new_type} and reinstall its webhooks",
        f"{account['name']} becomes **{new_type}**: {links} active child link(s) become "
        f"inactive; its {len(wanted_pairs(current_type))} webhook(s) of a {current_type or 'no'} "
        f"account are removed in МойСклад and the {len(wanted_pairs(new_type))} of a {new_type} "
        "account created.",
        key=f"set_type_{account_id}",
    ):
        perform(
            user,
            "set account type",
            target,
            {"from": current_type, "to": new_type},
            lambda: _change_type(account_id, new_type),
            lambda r: f"{r[0]} link(s) inactive; queued {', '.join(r[1])}",
        )

st.subheader("Webhooks")
enabled = bool(account["webhooks_enabled"])
st.write(f"Webhooks are **{'on' if enabled else 'off'}** for this account.")
st.caption("Off: its deliveries are still logged, but create no sync tasks.")
switch = "Switch webhooks off" if enabled else "Switch webhooks on"
consequence = (
    f"{account['name']}'s deliveries keep being logged but create no sync tasks until switched on."
    if enabled
    else f"{account['name']}'s deliveries create sync tasks again (earlier ones are not replayed)."
)
if user.can_act and confirmed_button(switch, consequence, key=f"switch_{account_id}"):
    perform(
        user,
        "switch webhooks",
        target,
        {"enabled": not enabled},
        lambda: set_webhooks_enabled(account_id, not enabled),
        lambda changed: f"webhooks {'off' if enabled else 'on'}" if changed else "unchanged",
    )

if current_type == "main":
    st.subheader("Children")
    children = data.children(account_id)
    inactive = [c for c in children if c["status"] == "inactive"]
    if children:
        st.dataframe(readable(children)[CHILD_COLUMNS], hide_index=True, width="stretch")
    else:
        st.caption("No children linked.")
    for child in inactive if user.can_act else []:
        label = f"Reactivate {child['name']}"
        if st.button(label, key=f"reactivate_{child['child_id']}", help=child["inactive_reason"]):
            perform(
                user,
                "reactivate child",
                target,
                {"child": str(child["child_id"])},
                lambda c=child: link_child(account_id, str(c["child_id"])),
                lambda _: "link active",
            )
    if user.can_act:
        linked = {str(c["child_id"]) for c in children if c["status"] == "active"}
        candidates = accounts[(accounts["account_type"] == "child") & ~accounts["id"].isin(linked)]
        if not candidates.empty:
            names = dict(zip(candidates["id"], candidates["name"], strict=True))
            child_id = st.selectbox("Link a child", list(names), format_func=names.get)
            if st.button("Link child"):
                perform(
                    user,
                    "link child",
                    target,
                    {"child": child_id},
                    lambda: link_child(account_id, child_id),
                    lambda _: f"{names[child_id]} linked",
                )

if current_type == "child":
    sync_settings_form(user, account_id, target)
    full_sync_button(user, account_id, target)

audit_trail("Operator actions on this account", target=target)
