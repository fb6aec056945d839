"""The worker's heartbeat: one round trip, at most one a second, RQ's worker key kept alive."""

from rq import Queue

from scripts.worker import ResilientSimpleWorker


def _worker(redis) -> ResilientSimpleWorker:
    worker = ResilientSimpleWorker([Queue("webhooks", connection=redis)], connection=redis)
    worker.register_birth()
    return worker


def _commands(redis, action) -> list:
    """Redis commands sent outside pipelines while running action, and the pipelines run."""
    sent = []
    original, pipeline = redis.execute_command, redis.pipeline
    redis.execute_command = lambda *args, **kw: sent.append(args[0]) or original(*args, **kw)

    def counted_pipeline(*args, **kw):
        sent.append("PIPELINE")
        return pipeline(*args, **kw)

    redis.pipeline = counted_pipeline
    try:
        action()
    finally:
        redis.execute_command, redis.pipeline = original, pipeline
    return sent


def test_a_beat_is_one_round_trip_and_refreshes_the_worker_key(redis):
    worker = _worker(redis)
    worker._registration_checked = float("inf")  # not the registration check's turn
    redis.persist(worker.key)
    assert _commands(redis, worker.heartbeat) == ["PIPELINE"]
    assert 0 < redis.ttl(worker.key) <= worker.worker_ttl + 60
    assert redis.hget(worker.key, "last_heartbeat")


def test_default_beats_within_a_second_are_skipped_explicit_ones_never(redis):
    worker = _worker(redis)
    worker.heartbeat()
    assert _commands(redis, worker.heartbeat) == []
    assert _commands(redis, lambda: worker.heartbeat(90)) != []
    assert redis.ttl(worker.key) <= 90
    assert _commands(redis, worker.heartbeat) != []  # the explicit one was no default beat
    assert redis.ttl(worker.key) > 90
    worker._last_beat -= 2
    assert _commands(redis, worker.heartbeat) != []


def test_a_worker_forgotten_by_redis_registers_again(redis):
    worker = _worker(redis)
    redis.flushdb()
    worker._registration_checked = 0.0
    worker.heartbeat()
    assert redis.sismember("rq:workers", worker.key)


def test_burst_jobs_finish_with_their_status_and_registries(redis):
    queue = Queue("webhooks", connection=redis)
    jobs = [queue.enqueue("time.sleep", 0, result_ttl=60) for _ in range(5)]
    worker = ResilientSimpleWorker([queue], connection=redis)
    worker.work(burst=True)
    assert [job.get_status() for job in jobs] == ["finished"] * 5
    assert len(queue.finished_job_registry) == 5
    assert queue.started_job_registry.get_job_ids() == []
    assert not redis.sismember("rq:workers", worker.key)  # burst teardown: registered death


def test_idle_set_again_is_not_written_again_other_states_are(redis):
    worker = _worker(redis)
    worker.set_state("idle")
    assert _commands(redis, lambda: worker.set_state("idle")) == []
    assert _commands(redis, lambda: worker.set_state("busy")) == ["HSET"]
    assert _commands(redis, lambda: worker.set_state("idle")) == ["HSET"]
    assert redis.hget(worker.key, "state") == b"idle"
    redis.flushdb()  # Redis forgot the worker: registered again, its state written again
    worker._registration_checked = 0.0
    worker.heartbeat()
    worker.set_state("idle")
    assert redis.hget(worker.key, "state") == b"idle"
