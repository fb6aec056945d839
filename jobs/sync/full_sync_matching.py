"""Pairing main's catalogue of one type with what a child already has, by the child's match
field: link one-to-one matches, create what the child lacks, report what cannot be decided
(several child entities with one key: ambiguous; several main entities wanting one child
entity: conflicting) instead of guessing."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TypeReport:
    entity_type: str
    main_total: int = 0
    filtered_out: int = 0
    already_linked: int = 0
    linked: int = 0
    to_create: int = 0
    to_update: int = 0
    broken: int = 0  # mappings whose child entity is gone: dropped, the entity is made again
    ambiguous: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Matching:
    report: TypeReport
    links: list[tuple[str, str]] = field(default_factory=list)  # (main id, child id)
    creates: list[str] = field(default_factory=list)  # main ids
    broken: list[str] = field(default_factory=list)  # main ids whose mapping is dropped


def match_key(entity: dict, match_field: str) -> str | None:
    value = entity.get(match_field)
    return (value.strip() or None) if isinstance(value, str) else None


def match_type(
    entity_type: str,
    main_rows: list[dict],
    child_rows: list[dict],
    mappings: dict[str, str],
    key_of: Callable[[dict], str | None],
) -> Matching:
    """What to do with every main entity (already filtered) of one type for one child."""
    matching = Matching(TypeReport(entity_type))
    report = matching.report
    children = {row["id"]: row for row in child_rows}
    taken = set(mappings.values())
    candidates: dict[str, list[str]] = defaultdict(list)
    for row in child_rows:
        key = key_of(row)
        if key and row["id"] not in taken and not row.get("archived"):
            candidates[key].append(row["id"])
    unmapped = []
    for row in main_rows:
        child_id = mappings.get(row["id"])
        if child_id is not None and child_id in children:
            report.already_linked += 1
            continue
        if child_id is not None:
            matching.broken.append(row["id"])
        unmapped.append(row)
    wanting: dict[str, list[str]] = defaultdict(list)
    for row in unmapped:
        key = key_of(row)
        if key:
            wanting[key].append(row["id"])
    for row in unmapped:
        key = key_of(row)
        found = candidates.get(key, []) if key else []
        if not found:
            matching.creates.append(row["id"])
        elif len(wanting[key]) > 1:
            report.conflicts.append({"key": key, "main_ids": wanting[key], "child_ids": found})
        elif len(found) > 1:
            report.ambiguous.append({"key": key, "main_id": row["id"], "child_ids": found})
        else:
            matching.links.append((row["id"], found[0]))
    # A conflict names every main entity of its key once.
    report.conflicts = list({c["key"]: c for c in report.conflicts}.values())
    report.linked, report.to_create = len(matching.links), len(matching.creates)
    report.to_update, report.broken = len(matching.links), len(matching.broken)
    return matching
