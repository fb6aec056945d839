"""Health, hourly stats, webhook counters, alert rules and their delivery."""
