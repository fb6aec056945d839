"""python -m scripts.sync full / verify / send-without-unmapped: reports, exit codes."""

import argparse

from jobs.context import current
from scripts.sync_catalog import add_commands
from tests.jobs.processing_helpers import simulated_franchise


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args, current())


def test_full_dry_run_prints_the_report_and_fails_on_ambiguous_keys(settings, db, redis, capsys):
    with simulated_franchise(settings, redis, children=1) as franchise:
        sim, main, child = franchise.sim, franchise.main, franchise.children[0]
        sim.add_entity(main, "product", {"name": "a", "code": "A"})
        sim.add_entity(main, "product", {"name": "b", "code": "B"})
        for name in ("b1", "b2"):
            sim.add_entity(child, "product", {"name": name, "code": "B"})

        code = run(["full", "--child", child, "--dry-run"])

        out = capsys.readouterr().out
        assert code == 1
        assert "dry run: nothing written" in out
        assert "ambiguous product key 'B'" in out


def test_verify_of_an_unlinked_account_says_why(settings, db, redis, capsys):
    with simulated_franchise(settings, redis, children=1) as franchise:
        assert run(["verify", "--child", franchise.main]) == 1
        assert "not a child" in capsys.readouterr().err


def test_send_without_unmapped_of_an_unknown_task_fails(settings, db, redis, capsys):
    assert run(["send-without-unmapped", "4242"]) == 1
    assert "no sync task 4242" in capsys.readouterr().err
