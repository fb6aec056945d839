"""Quiet worker logs: one line per job outcome at INFO (RQ writes three, and a traceback for
every failed try). The worker calls `quiet_job_logs()` once after its logging is configured.

The traceback is not lost: RQ keeps it with the failed job, and the log row keeps the error."""

import logging

RQ_LOGGER = "rq.worker"
# RQ's own message formats (rq/worker/base.py), matched as the record's unformatted msg.
STARTED = ("Worker %s: %s: %s (%s)", "Worker %s: %s: %s")  # also "Job OK", told apart by args
RESULT_LINES = ("Worker %s: job %s result discarded immediately",
                "Worker %s: job %s result is kept for %s seconds")  # fmt: skip
FAILED = "Worker %s: job %s: exception raised while executing (%s)\n%s"
JOB_OK = "Job OK"


class OneLinePerJob(logging.Filter):
    """Drops RQ's "started" and "result kept" lines, keeps "Job OK", and shortens a failure to
    one line: the job, its function and the exception's last line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in RESULT_LINES:
            return False
        if record.msg in STARTED and JOB_OK not in " ".join(map(str, record.args or ())):
            return False
        if record.msg == FAILED and record.args and len(record.args) == 4:
            worker, job_id, func_name, exc_string = record.args
            lines = [line for line in str(exc_string).strip().splitlines() if line.strip()]
            record.msg = "Worker %s: job %s failed (%s): %s"
            record.args = (worker, job_id, func_name, lines[-1] if lines else "no message")
        return True


def quiet_job_logs(logger_name: str = RQ_LOGGER) -> OneLinePerJob:
    """Install the filter on RQ's worker logger (idempotent); the filter installed."""
    logger = logging.getLogger(logger_name)
    for existing in logger.filters:
        if isinstance(existing, OneLinePerJob):
            return existing
    installed = OneLinePerJob()
    logger.addFilter(installed)
    return installed
