"""Fixed colours: one per status, action, severity and verdict, the same on every page and
refresh. Red is for failure only."""

# Streamlit markdown colour names (badges, text).
VERDICT_COLOURS = {"healthy": "green", "degraded": "orange", "down": "red"}
SEVERITY_COLOURS = {"info": "blue", "warning": "orange", "critical": "red"}
SEVERITY_HEX = {"info": "#1565c0", "warning": "#ef6c00", "critical": "#c62828"}

# Hex colours for plotly charts.
STATUS_COLOURS = {
    "completed": "#2e7d32",  # green
    "received": "#1565c0",  # blue: waiting (or waiting for a retry)
    "processing": "#6a1b9a",  # purple
    "ignored": "#9e9e9e",  # grey: nothing to do, not a failure
    "rejected": "#ef6c00",  # orange: refused at the door (incl. МойСклад's re-sends of those)
    "failed": "#c62828",  # red: the only red
}
ACTION_COLOURS = {
    "CREATE": "#1565c0",
    "UPDATE": "#00838f",
    "DELETE": "#6d4c41",  # brown, never red: a delete is not a failure
    "PROCESSED": "#7cb342",
}
PERCENTILE_COLOURS = {"p50": "#1565c0", "p95": "#ef6c00", "p99": "#6a1b9a"}
THRESHOLD_COLOUR = "#c62828"
