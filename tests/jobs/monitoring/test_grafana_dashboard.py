"""deploy/grafana/moysklad-webhooks.json draws only metrics that /metrics exposes."""

import json
import re
from pathlib import Path

from falcon import testing
from prometheus_client.parser import text_string_to_metric_families

from jobs.monitoring.worker_metrics import observe_processing
from receiver.app import create_app
from tests.jobs.log_rows import add_logs

DASHBOARD = Path(__file__).resolve().parents[3] / "deploy" / "grafana" / "moysklad-webhooks.json"
PROMQL_WORDS = {"sum", "by", "rate", "histogram_quantile", "le", "outcome", "m"}


def panel_metrics(panel: dict) -> set[str]:
    names = set()
    for target in panel["targets"]:
        expr = re.sub(r"\[[^\]]*\]", "", target["expr"])  # range selectors: [5m]
        names |= {w for w in re.findall(r"[a-z_][a-z0-9_]*", expr) if w not in PROMQL_WORDS}
    return names


def test_every_panel_draws_a_metric_the_receiver_exposes(settings, db, redis):
    add_logs(2, "9171a53c-b719-11eb-c0a8-800d00000001", "completed")
    observe_processing(redis, "completed", 12)
    client = testing.TestClient(create_app(settings, redis))
    client.simulate_post("/api/webhooks/receive/not-a-token", body=b"{}")  # one delivery counted
    text = client.simulate_get("/metrics").text
    exposed = {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    dashboard = json.loads(DASHBOARD.read_text())
    assert len(dashboard["panels"]) >= 12
    missing = {
        panel["title"]: sorted(panel_metrics(panel) - exposed)
        for panel in dashboard["panels"]
        if panel_metrics(panel) - exposed
    }
    assert missing == {}
    assert all(panel["fieldConfig"]["defaults"]["min"] == 0 for panel in dashboard["panels"])
