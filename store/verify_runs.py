"""What each verify of a child found (verify_runs): recorded when it ends, the newest kept per
child, read by the Sync page."""

import json
from collections.abc import Mapping
from datetime import datetime

from store.db import database

KEPT_PER_CHILD = 30  # a month of nightly runs; older ones are deleted as a new one is recorded
DIFFERENCES_KEPT = 100  # of one run: the page shows examples, the command prints them all

_COLUMNS = (
    "child_id", "main_id", "repair", "checked", "unchanged", "different", "by_kind",
    "differences", "tasks_written", "tasks_merged", "mappings_dropped", "alert",
)  # fmt: skip


def record_verify_run(report: Mapping) -> int:
    """Keep one run (a VerifyReport's as_dict()); its id."""
    values = [report[name] for name in _COLUMNS]
    values[_COLUMNS.index("by_kind")] = json.dumps(report["by_kind"])
    differences = list(report["differences"])[:DIFFERENCES_KEPT]
    values[_COLUMNS.index("differences")] = json.dumps(differences, ensure_ascii=False)
    with database.atomic():
        (run_id,) = database.execute_sql(
            "INSERT INTO verify_runs (child_account_id, main_account_id, repair, checked,"
            " unchanged, different, by_kind, differences, tasks_written, tasks_merged,"
            " mappings_dropped, alert) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING id",
            values,
        ).fetchone()
        database.execute_sql(
            "DELETE FROM verify_runs WHERE child_account_id = %s AND id NOT IN (SELECT id FROM"
            " verify_runs WHERE child_account_id = %s ORDER BY finished_at DESC, id DESC"
            " LIMIT %s)",
            (report["child_id"], report["child_id"], KEPT_PER_CHILD),
        )
    return run_id


def latest_verify_runs(since: datetime | None = None) -> list[dict]:
    """The newest run of every child (finished since `since`, when given), with its name."""
    where, params = ("WHERE r.finished_at >= %s", [since]) if since else ("", [])
    cursor = database.execute_sql(
        "SELECT DISTINCT ON (r.child_account_id) r.id, r.child_account_id::text, a.name,"
        " r.repair, r.checked, r.unchanged, r.different, r.by_kind, r.differences,"
        " r.tasks_written, r.tasks_merged, r.mappings_dropped, r.alert, r.finished_at"
        f" FROM verify_runs r LEFT JOIN accounts a ON a.id = r.child_account_id {where}"
        " ORDER BY r.child_account_id, r.finished_at DESC, r.id DESC",
        params,
    )
    keys = [column[0] for column in cursor.description]
    keys[1:3] = ["child_account_id", "child_name"]
    rows = [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
    return sorted(rows, key=lambda r: r["finished_at"], reverse=True)


def repairs_applied(since: datetime) -> dict[str, int]:
    """{child id: tasks queued by verify and completed since `since`}."""
    rows = database.execute_sql(
        "SELECT target_account_id::text, count(*)::int FROM sync_queue"
        " WHERE status = 'completed' AND finished_at >= %s AND payload->>'origin' = 'verify'"
        " GROUP BY 1",
        (since,),
    ).fetchall()
    return dict(rows)
