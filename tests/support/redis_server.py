"""A redis-server of a test's own on a free port: killed and started again by its PID only."""

import signal
import subprocess
import time

from redis import Redis
from redis.exceptions import RedisError

from tests.support.tcp_proxy import free_port


class OwnRedis:
    def __init__(self, folder, *options: str):
        self.port, self.folder, self.options, self.process = free_port(), folder, options, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder), *self.options]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self._pings():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def _pings(self) -> bool:
        try:
            return Redis.from_url(self.url).ping()
        except RedisError:
            return False
