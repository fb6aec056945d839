"""Tables people read: names not ids, no raw dicts or None, times in the chosen time zone."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

TIME_ZONES = {"UTC": "UTC", "Moscow (UTC+3)": "Europe/Moscow"}
TIME_ZONE_KEY = "time_zone"
EMPTY = "—"


def time_zone_label() -> str:
    return st.session_state.get(TIME_ZONE_KEY, "UTC")


def time_zone() -> ZoneInfo:
    return ZoneInfo(TIME_ZONES.get(time_zone_label(), "UTC"))


def time_zone_picker() -> None:
    """The sidebar choice every page's times follow."""
    st.sidebar.radio("Times in", list(TIME_ZONES), key=TIME_ZONE_KEY, horizontal=True)


def local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A moment in the chosen zone, as text; — for none."""
    if moment is None or pd.isna(moment):
        return EMPTY
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(time_zone()).strftime(fmt)


def cell(value) -> object:
    """What a table cell shows: — for nothing, text for ids, dicts and lists."""
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return EMPTY
    if isinstance(value, (uuid.UUID, bytes, memoryview)):
        return str(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items()) or EMPTY
    if isinstance(value, (list, tuple)):
        return ", ".join(str(cell(v)) for v in value) or EMPTY
    return value


def readable(frame: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """Times converted to the chosen zone; None, NaN, dicts and UUIDs made into text."""
    frame = pd.DataFrame(frame).copy()
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            frame[column] = series.map(local)
        elif series.dtype == object or series.isna().any():
            if series.map(lambda v: isinstance(v, datetime)).any():
                frame[column] = series.map(local)
            else:
                frame[column] = series.map(cell)
    return frame
