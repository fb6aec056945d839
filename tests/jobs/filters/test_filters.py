"""Product filters: modes, all/any, nested groups, folders with subfolders, variants, fields."""

import pytest

from jobs.filters.product_filter import entity_passes
from jobs.filters.schema import MAX_DEPTH
from tests.jobs.entities import attribute, in_folder, link, on_attribute, only, product

FOLDERS = {"fa": None, "fa1": "fa", "fa1x": "fa1", "fb": None}
YES = {"field": "name", "op": "eq", "value": "Футболка"}
NO = {"field": "name", "op": "eq", "value": "Шапка"}


def tree(node) -> dict:
    """A condition from a boolean (a condition that holds or not) or ("all"|"any", [nodes])."""
    if isinstance(node, bool):
        return YES if node else NO
    match, children = node
    return {"group": {"match": match, "conditions": [tree(child) for child in children]}}


@pytest.mark.parametrize("product_filter", [None, {}, {"conditions": []}, {"mode": "blacklist"}])
def test_no_conditions_lets_everything_through(product_filter):
    assert entity_passes(product_filter, product()) is True


@pytest.mark.parametrize(
    ("mode", "match", "holds", "expected"),
    [
        ("whitelist", "all", [True], True),
        ("whitelist", "all", [False], False),
        ("whitelist", "all", [True, True], True),
        ("whitelist", "all", [True, False], False),
        ("whitelist", "all", [False, False], False),
        ("whitelist", "any", [True, False], True),
        ("whitelist", "any", [False, False], False),
        ("whitelist", "any", [True, True], True),
        ("blacklist", "all", [True], False),
        ("blacklist", "all", [False], True),
        ("blacklist", "all", [True, True], False),
        ("blacklist", "all", [True, False], True),
        ("blacklist", "all", [False, False], True),
        ("blacklist", "any", [True, False], False),
        ("blacklist", "any", [False, False], True),
        ("blacklist", "any", [True, True], False),
    ],
)
def test_mode_and_match(mode, match, holds, expected):
    product_filter = {"mode": mode, "match": match, "conditions": [tree(h) for h in holds]}
    assert entity_passes(product_filter, product()) is expected


@pytest.mark.parametrize(
    ("holds", "expected"), [([True, False], False), ([True, True], True), ([False], False)]
)
def test_defaults_are_whitelist_and_all(holds, expected):
    assert entity_passes({"conditions": [tree(h) for h in holds]}, product()) is expected


def four_levels(leaf: bool) -> tuple:
    """any(no, all(yes, all(yes, any(no, leaf)))): true exactly when the leaf is."""
    return ("any", [False, ("all", [True, ("all", [True, ("any", [False, leaf])])])])


@pytest.mark.parametrize(
    ("node", "mode", "expected"),
    [
        (("all", [True, ("any", [False, True])]), "whitelist", True),
        (("all", [True, ("any", [False, False])]), "whitelist", False),
        (
            ("any", [False, ("all", [True, ("all", [True, ("any", [False, True])])])]),
            "whitelist",
            True,
        ),
        (
            ("any", [False, ("all", [True, ("all", [True, ("any", [False, False])])])]),
            "whitelist",
            False,
        ),
        (("any", [False, ("all", [True, True])]), "blacklist", False),
        (("all", [("any", [False]), True]), "blacklist", True),
        (("all", [("all", [("all", [True])])]), "whitelist", True),
    ],
)
def test_nested_groups(node, mode, expected):
    assert entity_passes({"mode": mode, "conditions": [tree(node)]}, product()) is expected


@pytest.mark.parametrize(("depth", "expected"), [(MAX_DEPTH, True), (MAX_DEPTH + 1, False)])
def test_groups_nest_up_to_the_limit(depth, expected):
    node = True
    for _ in range(depth):
        node = ("all", [node])
    assert entity_passes({"conditions": [tree(node)]}, product()) is expected


@pytest.mark.parametrize(
    ("folder", "op", "values", "subfolders", "expected"),
    [
        ("fa", "in", ["fa"], False, True),
        ("fa1", "in", ["fa"], False, False),
        ("fa1", "in", ["fa"], True, True),
        ("fa1x", "in", ["fa"], True, True),
        ("fa1x", "in", ["fb", "fa1"], True, True),
        ("fb", "in", ["fa"], True, False),
        ("fa", "in", ["fa1"], True, False),
        (None, "in", ["fa"], True, False),
        ("elsewhere", "in", ["fa"], True, False),
        ("elsewhere", "in", ["elsewhere"], True, True),
        ("fa", "not_in", ["fa"], False, False),
        ("fa1x", "not_in", ["fa"], True, False),
        ("fa1x", "not_in", ["fa"], False, True),
        ("fb", "not_in", ["fa"], True, True),
        (None, "not_in", ["fa"], False, True),
        ("fa", "is_null", None, False, False),
        (None, "is_null", None, False, True),
        ("fa", "is_not_null", None, False, True),
        (None, "is_not_null", None, False, False),
    ],
)
def test_folder_conditions(folder, op, values, subfolders, expected):
    condition = {"field": "folder", "op": op, "include_subfolders": subfolders}
    if values is not None:
        condition["values"] = values
    assert entity_passes(only(condition), in_folder(folder), FOLDERS) is expected


def with_subfolders(*values: str, op: str = "in") -> dict:
    """A folder condition that includes subfolders."""
    return only({"field": "folder", "op": op, "values": list(values), "include_subfolders": True})


def test_a_cycle_in_the_folder_tree_ends_the_walk():
    cycle = {"c1": "c2", "c2": "c1"}
    assert entity_passes(with_subfolders("elsewhere"), in_folder("c1"), cycle) is False
    assert entity_passes(with_subfolders("c2"), in_folder("c1"), cycle) is True


@pytest.mark.parametrize(("parents", "expected"), [({}, True), ({"fa1": None}, False)])
def test_an_expanded_folder_names_its_parent_unless_the_tree_knows_better(parents, expected):
    folder = link("productfolder", "x", id="fa1", productFolder=link("productfolder", "fa"))
    entity = product(productFolder=folder)
    assert entity_passes(with_subfolders("fa"), entity, parents) is expected


def test_folder_id_read_from_an_href_with_a_query_string():
    entity = product(productFolder={"meta": {"href": "https://x/entity/productfolder/fa?expand=a"}})
    assert entity_passes(only({"field": "folder", "op": "in", "values": ["fa"]}), entity)


@pytest.mark.parametrize(
    ("values", "subfolders", "expected"),
    [(["fa1"], False, True), (["fa"], False, False), (["fa"], True, True), (["fb"], True, False)],
)
def test_a_productfolder_is_its_own_folder(values, subfolders, expected):
    folder = link("productfolder", "fa1", productFolder=link("productfolder", "fa"))
    condition = {"field": "folder", "op": "in", "values": values, "include_subfolders": subfolders}
    assert entity_passes(only(condition), folder) is expected


PARENT = product(attribute("string", "Nike"), productFolder=link("productfolder", "fa1"))


@pytest.mark.parametrize(
    ("product_filter", "expected"),
    [
        (with_subfolders("fa"), True),
        (with_subfolders("fb"), False),
        (only(on_attribute("eq", "Nike")), True),
        (only(YES), True),
        (only({"field": "type", "op": "eq", "value": "variant"}), True),
        (only({"field": "type", "op": "eq", "value": "product"}), False),
    ],
)
def test_a_variant_is_judged_by_its_expanded_product(product_filter, expected):
    variant = link("variant", "v1", name="Футболка (красная, L)", product=PARENT)
    assert entity_passes(product_filter, variant, FOLDERS) is expected


@pytest.mark.parametrize(
    ("product_filter", "expected"),
    [
        (only({"field": "folder", "op": "is_null"}), True),
        (only({"field": "name", "op": "contains", "value": "красная"}), True),
        (only(on_attribute("is_null")), True),
    ],
)
def test_a_variant_without_its_product_is_judged_by_itself(product_filter, expected):
    variant = link("variant", "v1", name="Футболка (красная, L)", product=link("product", "p"))
    assert entity_passes(product_filter, variant, FOLDERS) is expected
