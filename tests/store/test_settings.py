"""The environment read into Settings: defaults, overrides, and a clear error for a bad number."""

import pytest

from jobs import defaults
from jobs.processing.loop_detector import limits_from
from store.settings import load_settings


def test_loop_limits_default_when_unset_and_follow_the_environment():
    assert limits_from(load_settings({})).max_changes == defaults.LOOP_MAX_CHANGES
    assert limits_from(load_settings({})).window_seconds == defaults.LOOP_WINDOW_SECONDS
    limits = limits_from(load_settings({"LOOP_MAX_CHANGES": "5", "LOOP_WINDOW_SECONDS": "60"}))
    assert (limits.max_changes, limits.window_seconds) == (5, 60)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_loop_limit_says_which_variable_is_wrong(value):
    with pytest.raises(ValueError, match="LOOP_MAX_CHANGES must be a positive whole number"):
        load_settings({"LOOP_MAX_CHANGES": value})


def test_receive_and_loop_guard_prefixes_come_from_the_public_url():
    settings = load_settings({"PUBLIC_BASE_URL": "https://sync.example.com/"})
    assert settings.receive_prefix == "https://sync.example.com/api/webhooks/receive/"
    assert settings.loop_guard_prefix == "https://sync.example.com/api/webhooks/"
