"""store.db: the asynchronous-commit block processing runs in."""

import pytest

from store.db import asynchronous_commit, database


def _setting() -> str:
    return database.execute_sql("SHOW synchronous_commit").fetchone()[0]


def test_commits_inside_the_block_are_asynchronous_and_the_connection_is_synchronous_after(db):
    assert _setting() == "on"
    with asynchronous_commit():
        assert _setting() == "off"
        database.execute_sql(
            "INSERT INTO audit_log (actor, role, action, result)"
            " VALUES ('t', 'operator', 'async', 'ok')"
        )
    assert _setting() == "on"
    assert database.execute_sql("SELECT count(*) FROM audit_log").fetchone()[0] == 1


def test_an_error_inside_the_block_still_leaves_the_connection_synchronous(db):
    with pytest.raises(RuntimeError), asynchronous_commit():
        raise RuntimeError("the job failed")
    assert _setting() == "on"
