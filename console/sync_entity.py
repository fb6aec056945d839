"""The entity view: one main entity and each child's copy of it (entity_mappings) side by side,
read from МойСклад now, the fields that differ from main highlighted."""

import pandas as pd
import streamlit as st

from console import sync_data
from console.sync_data import EXPAND
from console.sync_diff import side_by_side
from console.widgets import account_picker

DIFFERENT = "background-color: #fde2e1"


def entity_view() -> None:
    main = account_picker("Main account", key="entity_main", types=("main",))
    if main is None:
        st.info("No main account yet.")
        return
    recent = sync_data.recent_entities(main)
    row = st.columns([2, 1, 2])
    picked = row[0].selectbox(
        "A recently synced entity",
        [None, *recent],
        format_func=lambda e: "—" if e is None else f"{e[0]} {e[1]}",
        key="entity_recent",
    )
    typed_type = row[1].text_input("or type", value="product", key="entity_type").strip()
    typed_id = row[2].text_input("and main entity id", key="entity_id").strip()
    entity_type, entity_id = (typed_type, typed_id) if typed_id else (picked or (None, None))
    if not entity_id:
        st.caption("Choose an entity to compare it across the accounts.")
        return
    copies = sync_data.entity_copies(main, entity_type, entity_id)
    main_found, error = sync_data.read_entities(main, entity_type, (entity_id,), EXPAND)
    entities = {"main": main_found.get(entity_id)}
    errors = [error] if error else []
    for copy in copies:
        found, error = {}, None
        if copy["child_entity_id"]:
            ids = (copy["child_entity_id"],)
            found, error = sync_data.read_entities(
                copy["child_account_id"], entity_type, ids, EXPAND
            )
        errors += [f"{copy['name']}: {error}"] if error else []
        entities[copy["name"]] = found.get(copy["child_entity_id"])
    for message in errors:
        st.warning(message)
    if entities["main"] is None:
        st.warning(f"The main account has no {entity_type} {entity_id} (deleted, or a wrong id).")
    unmapped = [c["name"] for c in copies if not c["child_entity_id"]]
    if unmapped:
        st.caption("No copy recorded (entity_mappings) in: " + ", ".join(unmapped))
    frame = pd.DataFrame(side_by_side(entities))
    if frame.empty:
        return
    accounts = list(entities)

    def highlight(row: pd.Series) -> list[str]:
        return [
            DIFFERENT if column in accounts[1:] and row[column] != row["main"] else ""
            for column in row.index
        ]

    st.dataframe(frame.style.apply(highlight, axis=1), hide_index=True, width="stretch")
