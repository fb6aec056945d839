"""setup_and_report: the console's setup / reinstall / check, its report kept in action_reports."""

from jobs.lifecycle.setup import setup_account
from store.action_reports import finish_report, start_report


def setup_and_report(report_id: int) -> dict:
    """RQ job: run the report's setup mode for its account and store what it did."""
    report = start_report(report_id)
    if report is None:
        raise ValueError(f"no action report {report_id}")
    try:
        result = setup_account(str(report.account_id), report.kind)
    except Exception as exc:
        # The job fails as before (RQ keeps the traceback); the report says why, not "running".
        finish_report(report_id, {}, [], f"{type(exc).__name__}: {exc}")
        raise
    finish_report(report_id, summary_of(result), result.get("webhooks", []))
    return result


def summary_of(result: dict) -> dict:
    """The parts of setup's report the console's summary table shows."""
    return {
        "outcome": result.get("reason") or result.get("status"),
        "ok": result.get("ok"),
        "counts": result.get("counts", {}),
        "foreign": result.get("foreign", 0),
        "warnings": result.get("warnings", []),
        "errors": result.get("errors", []),
    }
