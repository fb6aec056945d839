"""Reads of the account graph processing routes by, and entity mappings."""

import uuid

from store.accounts import add_account, link_child
from store.mappings import add_mapping, main_entity_of, mapped_entities
from store.models import ChildAccount, SyncSettings
from store.sync_targets import children_of, get_source_account, parent_of

SECRET = "s"


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def franchise(children: int) -> list[str]:
    """A main account and `children` children linked to it: [main, child, ...]."""
    main, *kids = ids(1 + children)
    add_account(main, "M", "t", "main", SECRET)
    for child in kids:
        add_account(child, "C", "t", "child", SECRET)
        link_child(main, child)
    return [main, *kids]


def test_children_carry_link_state_and_settings(db):
    main, first, second = franchise(2)
    SyncSettings.update(sync_variants=False).where(SyncSettings.child_account == first).execute()
    ChildAccount.update(status="inactive", inactive_reason="why").where(
        ChildAccount.child == second
    ).execute()
    found = {c.child_id: c for c in children_of(main)}
    assert (
        found[first].active and not found[first].syncs("variant") and found[first].syncs("bundle")
    )
    assert not found[second].active and found[second].inactive_reason == "why"
    assert get_source_account(main).account_type == "main"
    link = parent_of(first)
    assert (link.parent_id, link.link_status, link.settings["self_heal"]) == (main, "active", True)
    assert parent_of(main) is None and get_source_account(ids(1)[0]) is None


def test_child_without_settings_row_gets_the_schema_defaults(db):
    main, _child = franchise(1)
    SyncSettings.delete().execute()
    (target,) = children_of(main)
    assert target.settings["match_field"] == "code" and target.syncs("productfolder")


def test_mappings_answer_which_child_has_which_main_entity(db):
    main, first, second = ids(3)
    add_account(main, "M", "t", "main", SECRET)
    for child in (first, second):
        add_account(child, "C", "t", "child", SECRET)
    product, other, copy = ids(3)
    add_mapping(first, "product", product, copy)
    add_mapping(first, "product", product, copy)  # idempotent
    assert mapped_entities("product", [product, other], [first, second]) == {(first, product)}
    assert mapped_entities("service", [product], [first]) == set()
    assert main_entity_of(first, "product", copy) == product
    assert main_entity_of(second, "product", copy) is None


def test_an_account_read_with_its_children_in_one_statement_matches_children_of(db):
    main, live, off = franchise(2)
    (lonely,) = ids(1)
    add_account(lonely, "L", "t", "main", SECRET)
    db.execute_sql("UPDATE accounts SET sync_mode = 'live' WHERE id = %s", (live,))
    db.execute_sql("UPDATE accounts SET sync_mode = 'off' WHERE id = %s", (off,))
    account = get_source_account(main, with_children=True)
    assert account.account_type == "main" and list(account.children) == children_of(main)
    modes = {c.child_id: (c.sync_mode, c.applies_tasks) for c in account.children}
    assert modes == {live: ("live", True), off: ("off", False)}
    assert get_source_account(lonely, with_children=True).children == ()
    assert get_source_account(live, with_children=True).children == ()  # a child has none
    assert get_source_account(main).children is None  # not read
    assert get_source_account(ids(1)[0], with_children=True) is None


def test_mappings_read_with_the_children_answer_as_mapped_entities_does(db):
    main, first, second = franchise(2)
    product, other, unmapped = ids(3)
    add_mapping(first, "product", product, ids(1)[0])
    add_mapping(second, "product", other, ids(1)[0])
    add_mapping(second, "service", unmapped, ids(1)[0])  # another type: not a product mapping
    asked = [product, other, unmapped]
    account = get_source_account(main, True, ("product", asked))
    assert account.mapped.pairs == mapped_entities("product", asked, [first, second])
    assert account.mapped.of([first]) == mapped_entities("product", asked, [first])
    assert account.mapped.answers("product", [product]) and not account.mapped.answers(
        "service", [product]
    )
    assert not account.mapped.answers("product", [*asked, ids(1)[0]])  # not read: ask again
    assert get_source_account(main, True).mapped is None
    assert get_source_account(first, True, ("product", asked)).mapped.pairs == frozenset()
