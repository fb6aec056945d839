"""Quiet worker logs: one line per job outcome at INFO (RQ writes four, and a traceback for
every failed try). The worker calls `quiet_job_logs()` once after its logging is configured.

The traceback is not lost: RQ keeps it with the failed job, and the log row keeps the error."""

import logging

RQ_LOGGER = "rq.worker"
# RQ's own message formats (rq/worker/base.py), matched as the record's unformatted msg.
# "started" and "Job OK" share their formats; the one line kept per success is "completed".
PER_JOB_LINES = ("Worker %s: %s: %s (%s)", "Worker %s: %s: %s",
                 "Worker %s: job %s result discarded immediately",
                 "Worker %s: job %s result is kept for %s seconds")  # fmt: skip
COMPLETED = ("Successfully completed %s job in %ss on worker %s",
             "Successfully completed job %s in %ss on worker %s")  # fmt: skip
FAILED = "Worker %s: job %s: exception raised while executing (%s)\n%s"


class OneLinePerJob(logging.Filter):
    """Drops RQ's "started", "Job OK" and "result kept" lines, keeps "completed … in N s", and
    shortens a failure to one line: the job, its function and the exception's last line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in PER_JOB_LINES:
            return False
        if record.msg in COMPLETED:
            return True
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
