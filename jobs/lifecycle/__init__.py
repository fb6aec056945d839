"""Webhook lifecycle: the wanted sets, reconciliation with МойСклад, the local mirror."""
