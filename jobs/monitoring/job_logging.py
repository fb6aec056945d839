"""Quiet worker logs: one line per job outcome at INFO (RQ writes four, and a traceback for
every failed try). The worker calls `quiet_job_logs()` once after its logging is configured.

The traceback is not lost: RQ keeps it with the failed job, and the log row keeps the error."""

import logging
import re

RQ_LOGGER = "rq.worker"
# RQ's own message formats (rq/worker/base.py), matched as the record's unformatted msg.
# "started" (its args: worker, queue, the job's description, its id) and "Job OK" share a format;
# the one line kept per success is "completed", which names the job by its description too.
STARTED_OR_OK = "Worker %s: %s: %s (%s)"
PER_JOB_LINES = ("Worker %s: %s: %s",
                 "Worker %s: job %s result discarded immediately",
                 "Worker %s: job %s result is kept for %s seconds")  # fmt: skip
COMPLETED = ("Successfully completed %s job in %ss on worker %s",
             "Successfully completed job %s in %ss on worker %s")  # fmt: skip
FAILED = "Worker %s: job %s: exception raised while executing (%s)\n%s"
REMEMBERED = 1000  # descriptions of started jobs kept for their failure line (a killed job's go)


class OneLinePerJob(logging.Filter):
    """Drops RQ's "started", "Job OK" and "result kept" lines, keeps "completed … in N s", and
    shortens a failure to one line: the job, what it was called with (its description, as the
    started line had it: the account a setup was for) and the exception's last line."""

    def __init__(self):
        super().__init__()
        self.started: dict[str, str] = {}  # job id → description

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == STARTED_OR_OK:
            self._remember(record.args)
            return False
        if record.msg in PER_JOB_LINES:
            return False
        if record.msg in COMPLETED:
            return True
        if record.msg == FAILED and record.args and len(record.args) == 4:
            worker, job_id, func_name, exc_string = record.args
            lines = [line for line in str(exc_string).strip().splitlines() if line.strip()]
            record.msg = "Worker %s: job %s failed (%s): %s"
            called = self.started.pop(str(job_id), None) or func_name
            record.args = (worker, job_id, called, lines[-1] if lines else "no message")
        return True

    def _remember(self, args) -> None:
        if not isinstance(args, tuple) or len(args) != 4:
            return
        _, _, description, job_id = args
        if "Job OK" in str(description):
            self.started.pop(str(job_id), None)
            return
        if len(self.started) >= REMEMBERED:
            self.started.clear()
        self.started[str(job_id)] = _plain(str(description))


def _plain(text: str) -> str:
    """Without the terminal colours RQ wraps it in."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def quiet_job_logs(logger_name: str = RQ_LOGGER) -> OneLinePerJob:
    """Install the filter on RQ's worker logger (idempotent); the filter installed."""
    logger = logging.getLogger(logger_name)
    for existing in logger.filters:
        if isinstance(existing, OneLinePerJob):
            return existing
    installed = OneLinePerJob()
    logger.addFilter(installed)
    return installed
