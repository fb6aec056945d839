"""What every console run needs once per process: settings, the database and Redis."""

import streamlit as st
from redis import Redis

from jobs.context import JobContext, configure
from store.db import database
from store.settings import Settings, load_settings


@st.cache_resource
def context() -> JobContext:
    """Settings from the environment, the database initialised, one Redis client (per process)."""
    return configure(load_settings())


def settings() -> Settings:
    return context().settings


def redis() -> Redis:
    return context().redis


def connected():
    """A connection for this script run (Streamlit runs each rerun in its own thread)."""
    return database.connection_context()
