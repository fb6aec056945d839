"""A populated console database: a franchise, deliveries in every status, stats, tasks, alerts."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from store.accounts import add_account, link_child
from store.alerts import open_alert
from store.models import SyncTask, Webhook, WebhookHealthStat, WebhookLog

SECRET = "test-secret"


@dataclass(frozen=True)
class Seeded:
    main: str
    children: list[str]
    failed_log_ids: list[int]
    completed_log_id: int
    entity_ids: list[str]
    alert_id: int


def seed_console(hours: int = 6) -> Seeded:
    main, children = str(uuid.uuid4()), [str(uuid.uuid4()), str(uuid.uuid4())]
    add_account(main, "Main shop", "token-main", "main", SECRET)
    for number, child in enumerate(children):
        add_account(child, f"Franchisee {number + 1}", f"token-child-{number}", "child", SECRET)
        link_child(main, child)
    now = datetime.now(UTC)
    logs, entity_ids = [], []
    for n, (status, entity_type, action) in enumerate(
        [
            ("completed", "product", "UPDATE"),
            ("completed", "product", "CREATE"),
            ("failed", "product", "UPDATE"),
            ("failed", "service", "DELETE"),
            ("ignored", "variant", "UPDATE"),
            ("received", "bundle", "CREATE"),
        ]
    ):
        entity_id = str(uuid.uuid4())
        entity_ids.append(entity_id)
        logs.append(
            WebhookLog.insert(
                request_id=f"req-{n}",
                account_id=main,
                entity_type=entity_type,
                action=action,
                entity_ids=[entity_id],
                events_count=1,
                payload=json.dumps({"events": [{"meta": {"type": entity_type}, "action": action}]}),
                status=status,
                error="МойСклад answered 500" if status == "failed" else None,
                tasks_created=1 if status == "completed" else 0,
                received_at=now - timedelta(minutes=10 + n),
                receive_ms=2.0 + n,
                processing_ms=40.0 + n,
            ).execute()
        )
    SyncTask.insert(
        target_account_id=children[0],
        source_account_id=main,
        entity_type="product",
        entity_id="p-1",
        operation="update",
        log_id=logs[0],
        scheduled_at=now,
        created_at=now,
        updated_at=now,
    ).execute()
    for hour in range(hours):
        for entity_type, action in (("product", "UPDATE"), ("service", "DELETE")):
            WebhookHealthStat.insert(
                hour=(now - timedelta(hours=hour)).replace(minute=0, second=0, microsecond=0),
                account_id=main,
                entity_type=entity_type,
                action=action,
                received=100,
                completed=95,
                failed=5,
                events=120,
                tasks=90,
                processing_p50=30,
                processing_p95=80,
                processing_p99=120,
                receive_p50=2,
                receive_p95=5,
                receive_p99=9,
                updated_at=now,
            ).execute()
    # Installed: product UPDATE, and service DELETE disabled by МойСклад; the rest missing.
    for entity_type, action, enabled in (("product", "UPDATE", True), ("service", "DELETE", False)):
        Webhook.insert(
            account=main,
            moysklad_webhook_id=str(uuid.uuid4()),
            entity_type=entity_type,
            action=action,
            diff_type="FIELDS" if action == "UPDATE" else None,
            url="http://127.0.0.1:8000/api/webhooks/receive/x",
            enabled=enabled,
            received_count=600,
            last_check_at=now,
            last_check_result="ok" if enabled else "disabled",
            created_at=now,
            updated_at=now,
        ).execute()
    alert, _ = open_alert("failure_rate", f"account:{main}", "critical", "failure rate 12 %")
    return Seeded(main, children, logs[2:4], logs[0], entity_ids, alert.id)
