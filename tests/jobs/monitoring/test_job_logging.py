"""Worker logs: one line per job outcome (ok or failed, no traceback), nothing else per job."""

import logging

from rq import Queue, SimpleWorker

from jobs.monitoring.job_logging import quiet_job_logs


def test_a_worker_logs_one_line_per_job_outcome(redis, caplog):
    quiet_job_logs()
    queue = Queue("quiet", connection=redis)
    ok = queue.enqueue("builtins.len", [1, 2])
    broken = queue.enqueue("builtins.int", "not a number")
    with caplog.at_level(logging.INFO, logger="rq.worker"):
        SimpleWorker([queue], connection=redis).work(burst=True)
    words = ("builtins.", ok.id, broken.id)
    per_job = [m for m in (r.getMessage() for r in caplog.records) if any(w in m for w in words)]
    assert len(per_job) == 2, per_job
    assert per_job[0].startswith("Successfully completed builtins.len([1, 2]) job in")
    assert per_job[1].endswith(
        f"job {broken.id} failed (builtins.int('not a number')): "
        "ValueError: invalid literal for int() with base 10: 'not a number'"
    )
    assert "Traceback" not in "\n".join(r.getMessage() for r in caplog.records)
    assert quiet_job_logs() is quiet_job_logs()  # installed once
