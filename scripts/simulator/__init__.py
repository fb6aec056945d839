"""A local МойСклад: the JSON API 1.2 subset we use, its protocol rules and its webhook delivery."""

from scripts.simulator.delivery import Delivery
from scripts.simulator.errors import ApiError
from scripts.simulator.server import make_server, running_simulator
from scripts.simulator.simulator import FOREIGN_APP, OUR_APP, RecordedRequest, Simulator

__all__ = [
    "FOREIGN_APP",
    "OUR_APP",
    "ApiError",
    "Delivery",
    "RecordedRequest",
    "Simulator",
    "make_server",
    "running_simulator",
]
