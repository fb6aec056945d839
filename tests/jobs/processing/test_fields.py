"""Classification of `updatedFields` into base, prices, price types, attributes, references."""

import pytest

from jobs.processing.fields import (
    BASE_FIELDS,
    IGNORED_FIELDS,
    PRICE_FIELDS,
    REFERENCE_FIELDS,
    FieldClasses,
    classify_fields,
)

PRICE_TYPES = frozenset({"Франшиза Москва", "Опт"})
ATTRIBUTES = frozenset({"Бренд", "Сезон", "Опт"})  # "Опт" is both: a price type and an attribute
STANDARD = (
    [(name, "base") for name in sorted(BASE_FIELDS)]
    + [(name, "prices") for name in sorted(PRICE_FIELDS)]
    + [(name, "references") for name in sorted(REFERENCE_FIELDS)]
    + [(name, "ignored") for name in sorted(IGNORED_FIELDS)]
    + [("attributes", "attributes")]
)


@pytest.mark.parametrize(("name", "class_name"), STANDARD)
def test_standard_field_has_one_class(name, class_name):
    classes = classify_fields([name], PRICE_TYPES, ATTRIBUTES)
    assert classes == FieldClasses(reported=True, **{class_name: frozenset({name})})


def test_standard_field_lists_do_not_overlap():
    lists = [BASE_FIELDS, PRICE_FIELDS, REFERENCE_FIELDS, IGNORED_FIELDS, {"attributes"}]
    assert sum(len(names) for names in lists) == len(frozenset().union(*lists))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Франшиза Москва", FieldClasses(price_types=frozenset({"Франшиза Москва"}))),
        ("франшиза москва", FieldClasses(price_types=frozenset({"франшиза москва"}))),
        (" Бренд ", FieldClasses(attributes=frozenset({" Бренд "}))),
        ("СЕЗОН", FieldClasses(attributes=frozenset({"СЕЗОН"}))),
        ("Опт", FieldClasses(price_types=frozenset({"Опт"}), attributes=frozenset({"Опт"}))),
        (
            "Новое поле",
            FieldClasses(attributes=frozenset({"Новое поле"}), unknown=frozenset({"Новое поле"})),
        ),
        ("Name", FieldClasses(attributes=frozenset({"Name"}), unknown=frozenset({"Name"}))),
    ],
)
def test_display_names(name, expected):
    assert classify_fields([name], PRICE_TYPES, ATTRIBUTES) == expected


def test_unknown_names_without_any_known_names_are_attributes():
    classes = classify_fields(["Франшиза Москва"])
    assert classes.attributes == classes.unknown == {"Франшиза Москва"}
    assert classes.price_types == frozenset()


@pytest.mark.parametrize("updated_fields", [None, [], [""], ["  "], [None, 5]])
def test_no_usable_field_names_means_unreported(updated_fields):
    assert classify_fields(updated_fields, PRICE_TYPES, ATTRIBUTES) == FieldClasses(reported=False)


def test_a_mixed_list_is_split_across_classes():
    fields = ["name", "salePrices", "Опт", "Бренд", "productFolder", "owner", "Что-то", "code"]
    assert classify_fields(fields, PRICE_TYPES, ATTRIBUTES) == FieldClasses(
        reported=True,
        base=frozenset({"name", "code"}),
        prices=frozenset({"salePrices"}),
        price_types=frozenset({"Опт"}),
        attributes=frozenset({"Опт", "Бренд", "Что-то"}),
        unknown=frozenset({"Что-то"}),
        references=frozenset({"productFolder"}),
        ignored=frozenset({"owner"}),
    )


def test_names_may_come_as_any_iterable():
    classes = classify_fields(iter(["name"]), ["Опт"], ("Бренд",))
    assert classes.base == {"name"}
