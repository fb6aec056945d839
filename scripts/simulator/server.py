"""Serving the simulator: a threaded WSGI server, in a thread (tests) or as a process."""

import contextlib
import io
import threading
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from scripts.simulator.app import PREFIX_HEADER, PREFIXES_ENV, create_app
from scripts.simulator.hrefs import API_PREFIX
from scripts.simulator.simulator import RecordedRequest, Simulator


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    simulator: Simulator


class _Handler(WSGIRequestHandler):
    """wsgiref's handler, plus injected connection drops and no access log on stderr."""

    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536 or not self.parse_request():
            return
        sim = self.server.simulator
        drop = sim.faults.take_drop() if self.path.startswith(API_PREFIX) else None
        if drop == "drop-after":
            self._apply_unanswered()
            return
        if drop:
            headers = {k.lower(): v for k, v in self.headers.items()}
            sim.record(
                RecordedRequest(
                    self.command,
                    self.path.removeprefix(API_PREFIX),
                    {},
                    headers,
                    None,
                    0,
                    extra={"dropped": True},
                )
            )
            return  # the connection closes without an answer, like a network failure
        environ = self.get_environ()
        # wsgiref joins a repeated header with commas; keep each line (DisableByPrefix repeats).
        environ[PREFIXES_ENV] = self.headers.get_all(PREFIX_HEADER) or []
        handler = ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), environ, multithread=True
        )
        handler.request_handler = self
        handler.run(self.server.get_app())

    def _apply_unanswered(self) -> None:
        """Run the request to its end, then close the connection without sending the answer."""
        environ = self.get_environ()
        environ[PREFIXES_ENV] = self.headers.get_all(PREFIX_HEADER) or []
        handler = ServerHandler(self.rfile, io.BytesIO(), io.StringIO(), environ, multithread=True)
        handler.request_handler = self
        handler.run(self.server.get_app())
        self.close_connection = True

    def log_message(self, format: str, *args) -> None:
        """Quiet: the simulator records requests itself."""


def make_server(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> _Server:
    server = _Server((host, port), _Handler)
    server.simulator = sim
    server.set_app(create_app(sim))
    return server


@contextlib.contextmanager
def running_simulator(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `sim` in a background thread; yields the API base URL (…/api/remap/1.2)."""
    server = make_server(sim, host, port)
    base_url = f"http://{host}:{server.server_address[1]}{API_PREFIX}"
    own_url = sim.public_url is None
    if own_url:
        sim.public_url = base_url
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="simulator", daemon=True
    )
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        if own_url:
            sim.public_url = None
