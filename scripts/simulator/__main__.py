"""Run the simulator as its own process: python -m scripts.simulator --port 8081 [--seed demo]."""

import argparse
import json
import signal
import sys

from scripts.simulator.hrefs import API_PREFIX
from scripts.simulator.seed import seed_demo
from scripts.simulator.server import make_server
from scripts.simulator.simulator import Simulator


def _interrupt(signum, frame) -> None:
    """SIGTERM ends serve_forever cleanly, as Ctrl-C does."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--seed", choices=["demo"], help="load a data set at start-up")
    parser.add_argument("--public-url", help="base URL used in hrefs (default: the listen address)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to API requests")
    args = parser.parse_args(argv)
    sim = Simulator(args.public_url or f"http://{args.host}:{args.port}{API_PREFIX}")
    sim.set_latency(args.latency)
    server = make_server(sim, args.host, args.port)
    if args.seed == "demo":
        print(json.dumps(seed_demo(sim)), flush=True)
    print(f"МойСклад simulator on {sim.base_url} (controls under /_sim)", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
