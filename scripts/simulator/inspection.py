"""Comparing two accounts' catalogues, for tests and the demo: which entities one has that the
other lacks, and which fields differ, with entities paired by a match field."""

IGNORED = {"meta", "id", "accountId", "updated", "owner", "group", "externalCode", "syncId",
           "images", "created"}  # fmt: skip
# Fields that hold per-account references: compared by what they mean, not by id.
REFERENCE_NAMES = ("productFolder", "uom", "country", "currency", "priceType", "product")


def _comparable(value):
    """A value with per-account ids replaced by names where the entity carries them."""
    if isinstance(value, dict):
        if "meta" in value and set(value) <= {"meta", "id", "name", "externalCode", "code"}:
            return value.get("name") or value["meta"].get("type")
        return {k: _comparable(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def diff(left: list[dict], right: list[dict], match: str, fields: list[str] | None = None) -> dict:
    """{"only_left": [keys], "only_right": [keys], "different": {key: {field: [l, r]}}}."""
    by_left = {row.get(match): row for row in left if row.get(match) is not None}
    by_right = {row.get(match): row for row in right if row.get(match) is not None}
    different = {}
    for key in by_left.keys() & by_right.keys():
        a, b = by_left[key], by_right[key]
        names = fields or sorted((a.keys() | b.keys()) - IGNORED)
        changed = {
            name: [_comparable(a.get(name)), _comparable(b.get(name))]
            for name in names
            if _comparable(a.get(name)) != _comparable(b.get(name))
        }
        if changed:
            different[str(key)] = changed
    return {
        "only_left": sorted(str(k) for k in by_left.keys() - by_right.keys()),
        "only_right": sorted(str(k) for k in by_right.keys() - by_left.keys()),
        "different": different,
    }
