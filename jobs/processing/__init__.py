"""The processing chain: from a stored delivery to sync tasks."""
