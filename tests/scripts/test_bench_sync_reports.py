"""scripts.bench_sync_reports runs end to end on a small scratch database and refuses any other."""

import io
from contextlib import redirect_stdout

import psycopg2
import pytest
from psycopg2 import sql

from scripts.bench_sync_reports import main
from store.db import connect_params, database


@pytest.fixture
def scratch_url(settings):
    """A scratch database next to the test one, dropped afterwards."""
    url = settings.database_url + "_bench"
    yield url
    database.close()
    params = connect_params(url)
    name = params.pop("database")
    connection = psycopg2.connect(database="postgres", **params)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    connection.close()


def test_a_small_run_prints_every_query_and_the_baselines(scratch_url):
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--database-url", scratch_url, "--rows", "2000", "--repeat", "2"])
    assert code == 0
    text = out.getvalue()
    assert text.startswith("2,000 finished + 2,000 pending tasks")
    assert "tasks_by_status, 1 h window" in text and "× ours" in text


def test_a_database_not_named_for_benchmarks_is_refused(settings, capsys):
    assert main(["--database-url", settings.database_url]) == 2
    assert "must contain 'bench'" in capsys.readouterr().err
