"""python -m scripts.held — held work of loop-paused entities: list it, release it, discard it."""

import argparse
import getpass
import sys

from tabulate import tabulate

from jobs.context import configure
from jobs.processing.held import CHOICES, decide_loop_alert, describe
from jobs.processing.loop_detector import RULE
from store.alerts import active_alerts
from store.settings import load_settings
from store.tasks import held_counts


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.held",
        description="Tasks held while the loop detector pauses an entity (loop_suspected alerts).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="active loop alerts with their held tasks and deliveries")
    for choice, text in zip(
        CHOICES,
        ("the held tasks go on, the alert is resolved", "the held tasks are cancelled (recorded)"),
        strict=True,
    ):
        command = commands.add_parser(choice, help=f"{choice} an alert's held work: {text}")
        command.add_argument("alert_id", metavar="ALERT_ID", type=int)
        command.add_argument("--actor", default=getpass.getuser(), help="recorded in the audit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    context = configure(load_settings())
    if args.command == "list":
        alerts = active_alerts(RULE)
        counts = held_counts([alert.subject for alert in alerts])
        rows = [
            [a.id, a.severity, a.subject, *counts.get(a.subject, (0, 0)), f"{a.opened_at:%F %T}"]
            for a in alerts
        ]
        headers = ["alert", "severity", "subject", "held tasks", "deliveries", "opened"]
        print(tabulate(rows, headers=headers) if rows else "no loop alert is active")
        return 0
    try:
        decision = decide_loop_alert(context.redis, args.alert_id, args.command, args.actor, "cli")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"alert {decision.alert_id} ({decision.subject}): {describe(decision)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
