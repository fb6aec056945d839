"""A child's sync settings and product filter: a form for operators, read-only for viewers."""

import json

import streamlit as st

from console import data, runtime
from console.actions import perform
from console.readable import readable
from jobs.filters import product_filter as filters
from jobs.filters.folder_names import folder_names, folders_in_filter
from jobs.filters.product_filter import validate_filter
from jobs.queues import enqueue_folder_names
from store.account_edits import MATCH_FIELDS, parent_id_of, update_sync_settings
from store.users import ConsoleUser

SYNC_SWITCHES = {
    "sync_products": "Products",
    "sync_services": "Services",
    "sync_variants": "Variants",
    "sync_bundles": "Bundles",
    "sync_folders": "Folders",
    "sync_prices": "Prices",
    "sync_customer_orders": "Customer orders → main",
    "sync_retail_demands": "Retail demands → main",
    "sync_purchase_orders": "Purchase orders → main",
    "self_heal": "Self-heal (recreate main's entities deleted in the child)",
}
# What the child sets itself (never overwritten by the sync), as comma-separated names.
OWNERSHIP = {
    "owned_price_types": "The child's own price types (names)",
    "owned_attributes": "The child's own attributes (names)",
    "owned_fields": "The child's own fields (e.g. description, minPrice)",
}

# Where the child's orders land in main: ids of the main account's objects (empty: unset).
ORDER_TARGETS = {
    "order_organization_id": "Orders → main's organization (id; empty: main's only one)",
    "order_store_id": "Orders → main's store (id)",
    "order_state_id": "Orders → state of a new copy (id; a state named like the child's wins)",
    "order_project_id": "Orders → main's project (id)",
    "order_agent_id": "The franchisee as main's counterparty (id; empty: found by INN or made)",
}


def sync_settings_form(user: ConsoleUser, account_id: str, target: str) -> None:
    st.subheader("Sync settings")
    with st.expander("Product filter format"):
        st.code(filters.__doc__, language="text")
    current = data.sync_settings(account_id)
    # Viewers get the same fields, read-only and without a submit button.
    with st.form("sync_settings") if user.can_act else st.container(border=True):
        columns = st.columns(2)
        values = {
            name: columns[i % 2].checkbox(label, value=current[name], disabled=not user.can_act)
            for i, (name, label) in enumerate(SYNC_SWITCHES.items())
        }
        values["match_field"] = st.selectbox(
            "Match main and child entities by",
            MATCH_FIELDS,
            index=MATCH_FIELDS.index(current["match_field"]),
            disabled=not user.can_act,
        )
        for name, label in OWNERSHIP.items():
            text = st.text_input(label, ", ".join(current[name]), disabled=not user.can_act)
            values[name] = [part.strip() for part in text.split(",") if part.strip()]
        for name, label in ORDER_TARGETS.items():
            text = st.text_input(label, str(current[name] or ""), disabled=not user.can_act)
            values[name] = text.strip()
        values["drift_alert_threshold"] = int(
            st.number_input(
                "Verify: alert when more entities than this differ from main",
                min_value=0,
                value=int(current["drift_alert_threshold"]),
                step=1,
                disabled=not user.can_act,
            )
        )
        values["verify_repair"] = st.checkbox(
            "The nightly verify also repairs what it finds",
            value=current["verify_repair"],
            disabled=not user.can_act,
        )
        filter_text = st.text_area(
            "Product filter (JSON; empty = everything passes)",
            json.dumps(current["product_filter"], indent=2, ensure_ascii=False)
            if current["product_filter"] is not None
            else "",
            height=200,
            disabled=not user.can_act,
        )
        saved = user.can_act and st.form_submit_button("Save sync settings")
    folder_table(user, account_id, target, current["product_filter"])
    if saved:
        try:
            values["product_filter"] = json.loads(filter_text) if filter_text.strip() else None
            problems = validate_filter(values["product_filter"])
        except json.JSONDecodeError as exc:
            problems = [f"not JSON: {exc}"]
        if problems:
            st.error("The filter is not saved: " + "; ".join(problems))
        else:
            perform(
                user,
                "edit sync settings",
                target,
                {"settings": values},
                lambda: update_sync_settings(account_id, values),
                lambda _: "saved",
            )


def folder_table(user: ConsoleUser, account_id: str, target: str, product_filter) -> None:
    """The saved filter's folders by name (read from the main account by a job)."""
    folders = folders_in_filter(product_filter)
    if not folders:
        return
    main_id = parent_id_of(account_id)
    names = folder_names(runtime.redis(), main_id) if main_id else {}
    st.markdown("Folders in this filter")
    rows = [{"folder": names.get(f, "name not looked up yet"), "id": f} for f in folders]
    st.dataframe(readable(rows), hide_index=True, width="stretch")
    if user.can_act and main_id and st.button("Look up folder names", key=f"folders_{account_id}"):
        perform(
            user,
            "look up folder names",
            target,
            {"main": main_id},
            lambda: enqueue_folder_names(runtime.redis(), main_id),
            lambda job_id: f"job {job_id} queued",
        )
