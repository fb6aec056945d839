"""A spool Redis without an append-only file, or with an evicting policy, is named as a problem."""

import pytest
from falcon import testing
from redis import Redis

from jobs.monitoring.alert_rules import RULES
from jobs.monitoring.alerts import evaluate_alerts
from receiver.app import create_app
from store.redis_durability import durability_problems
from tests.support.redis_server import OwnRedis


@pytest.fixture
def spool_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def test_an_append_only_redis_with_noeviction_has_no_problem(tmp_path):
    server = OwnRedis(tmp_path, "--appendonly", "yes", "--appendfsync", "everysec")
    server.start()
    try:
        redis = Redis.from_url(server.url)
        redis.config_set("maxmemory-policy", "noeviction")
        assert durability_problems(redis) == {}
    finally:
        server.kill()


def test_no_append_only_file_evicting_policy_and_no_fsync_are_each_named(spool_redis):
    redis = Redis.from_url(spool_redis.url)
    redis.config_set("maxmemory-policy", "allkeys-lru")
    problems = durability_problems(redis)
    assert set(problems) == {"redis_not_persistent", "redis_evicting"}
    assert "allkeys-lru" in problems["redis_evicting"]
    redis.config_set("appendonly", "yes")
    redis.config_set("appendfsync", "no")
    redis.config_set("maxmemory-policy", "noeviction")
    assert set(durability_problems(redis)) == {"redis_fsync_off"}


def test_readiness_names_a_non_persistent_redis_and_stays_200(settings, db, spool_redis):
    redis = Redis.from_url(spool_redis.url)
    client = testing.TestClient(create_app(settings, redis))
    answer = client.simulate_get("/readyz")
    assert answer.status_code == 200
    assert answer.json["status"] == "ready"
    assert set(answer.json["problems"]) == {"redis_not_persistent"}
    redis.config_set("appendonly", "yes")
    assert "problems" not in client.simulate_get("/readyz").json


def test_the_redis_durability_alert_opens_and_resolves(settings, db, spool_redis):
    redis = Redis.from_url(spool_redis.url)
    rule = {"redis_durability": RULES["redis_durability"]}
    opened = evaluate_alerts(redis=redis, rules=rule)["redis_durability"]["opened"]
    assert opened == ["redis:redis_not_persistent"]
    redis.config_set("appendonly", "yes")
    resolved = evaluate_alerts(redis=redis, rules=rule)["redis_durability"]["resolved"]
    assert resolved == ["redis:redis_not_persistent"]
