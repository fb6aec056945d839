"""Reports of operator actions (setup, reinstall, check, retry-all): queued, then finished."""

from datetime import UTC, datetime

from store.models import ActionReport

KINDS = ("setup", "reinstall", "check", "retry-all")


def create_report(
    kind: str, requested_by: str, account_id: str | None = None, job_id: str | None = None
) -> int:
    """A queued report; its id."""
    if kind not in KINDS:
        raise ValueError(f"report kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return ActionReport.insert(
        kind=kind,
        account_id=account_id,
        requested_by=requested_by,
        job_id=job_id,
        created_at=datetime.now(UTC),
    ).execute()


def attach_job(report_id: int, job_id: str) -> None:
    ActionReport.update(job_id=job_id).where(ActionReport.id == report_id).execute()


def attach_audit(report_id: int, audit_id: int) -> None:
    ActionReport.update(audit_id=audit_id).where(ActionReport.id == report_id).execute()


def start_report(report_id: int) -> ActionReport | None:
    """Mark it running; the report (None when it does not exist)."""
    ActionReport.update(status="running").where(ActionReport.id == report_id).execute()
    return ActionReport.get_or_none(ActionReport.id == report_id)


def finish_report(
    report_id: int, summary: dict, rows: list[dict], error: str | None = None
) -> None:
    """done (or failed, with the error) with its summary and table rows."""
    ActionReport.update(
        status="failed" if error else "done",
        summary=summary,
        rows=rows,
        error=error,
        finished_at=datetime.now(UTC),
    ).where(ActionReport.id == report_id).execute()


def recent_reports(
    account_id: str | None = None, kinds: tuple[str, ...] = KINDS, limit: int = 10
) -> list[dict]:
    """Newest first, of one account (or of every account) and of these kinds."""
    query = ActionReport.select().where(ActionReport.kind.in_(list(kinds)))
    if account_id is not None:
        query = query.where(ActionReport.account_id == account_id)
    query = query.order_by(ActionReport.created_at.desc(), ActionReport.id.desc()).limit(limit)
    return list(query.dicts())
