"""Periodic housekeeping: the sweeper, retention, the schedule."""
