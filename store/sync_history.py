"""A sync task's attempt history, kept under result->'history' (the Sync page shows it beside
the latest answer): each attempt after which the task went back to pending — the executor's own
retry or wait, a dead executor's released claim, an operator's retry — is appended, the newest
HISTORY_LIMIT kept, and carried over whenever the task's latest result is written.

SQL fragments for the UPDATEs of store.sync_tasks and store.sync_retries. They hold no `%` and
no braces (they go into parameterised and str.format'ted statements alike) and repeat no
expression given to them, so a parameter in one is bound once."""

HISTORY_LIMIT = 20  # attempts kept per task; older ones drop off


def history_of(alias: str = "") -> str:
    """The row's history (a jsonb array, or NULL when it has none)."""
    return f"{alias}result->'history'"


def appended(entry: str, alias: str = "") -> str:
    """The row's history with `entry` (a jsonb SQL expression) appended, bounded."""
    return (
        f"jsonb_path_query_array("
        f"COALESCE({history_of(alias)}, '[]'::jsonb) || jsonb_build_array({entry}),"
        f" '$[last - {HISTORY_LIMIT - 1} to last]')"
    )


def keeping_history(result: str, alias: str = "") -> str:
    """`result` (a jsonb object or NULL) carrying the row's history; NULL when both are."""
    history = history_of(alias)
    carried = (
        f"CASE WHEN {history} IS NULL THEN jsonb_build_object()"
        f" ELSE jsonb_build_object('history', {history}) END"
    )
    return f"nullif(COALESCE({result}, jsonb_build_object()) || {carried}, jsonb_build_object())"


def adding_to_history(result: str, entry: str, alias: str = "") -> str:
    """`result` (a jsonb object or NULL) carrying the row's history with `entry` appended."""
    history = appended(entry, alias)
    return f"COALESCE({result}, jsonb_build_object()) || jsonb_build_object('history', {history})"
