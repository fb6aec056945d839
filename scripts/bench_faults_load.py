"""A sender that behaves like МойСклад (MOYSKLAD.md §2): each delivery has its own requestId, an
attempt that gets no answer within 1500 ms is given up and never re-sent, a bad status is re-sent
at once up to 3 times. And the fuzz bodies: МойСклад bodies, then mutated."""

import http.client
import json
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote

ESC = "surrogatepass"  # odd requestIds and tokens hold lone surrogates too
TIMEOUT_SECONDS = 1.5
RESENDS = 3


@dataclass
class Delivery:
    request_id: str
    path: str  # with the token, without the query
    body: bytes
    chunked: bool = False


@dataclass
class Outcome:
    request_id: str
    status: int  # the last attempt's: 0 = timed out or no connection
    timed_out: bool
    attempts: int
    latency_ms: float  # of the first attempt


@dataclass
class Sent:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, predicate) -> int:
        return sum(1 for outcome in self.outcomes if predicate(outcome))


def key(request_id: str) -> str:
    """The requestId as the receiver keeps it: URL-decoded as UTF-8 (bad bytes → U+FFFD), 200."""
    return request_id.encode("utf-8", "surrogatepass").decode("utf-8", "replace")[:200]


def _attempt(port: int, delivery: Delivery) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        target = f"{delivery.path}?requestId={quote(delivery.request_id, safe='', errors=ESC)}"
        headers = {"Content-Type": "application/json"}
        if delivery.chunked:
            connection.request("POST", target, iter([delivery.body]), headers, encode_chunked=True)
        else:
            connection.request("POST", target, delivery.body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except TimeoutError:
        return -1
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def deliver(port: int, delivery: Delivery) -> Outcome:
    began = time.perf_counter()
    attempts, latency = 0, None
    while True:
        attempts += 1
        status = _attempt(port, delivery)
        latency = latency if latency is not None else (time.perf_counter() - began) * 1000
        if status == -1:
            return Outcome(delivery.request_id, 0, True, attempts, latency)
        if status == 200 or attempts > RESENDS:
            return Outcome(delivery.request_id, status, False, attempts, latency)


def send(ports: list[int], deliveries, rate: float, threads: int = 24) -> Sent:
    """Open loop at `rate` per second (each delivery at its time, whatever the answers)."""
    sent, lock = Sent(), threading.Lock()
    start = time.perf_counter() + 0.1

    def one(numbered):
        number, delivery = numbered
        if (delay := start + number / rate - time.perf_counter()) > 0:
            time.sleep(delay)
        outcome = deliver(ports[number % len(ports)], delivery)
        with lock:
            sent.outcomes.append(outcome)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, enumerate(deliveries)))
    return sent


API = "https://api.moysklad.ru/api/remap/1.2"


def moysklad_body(rng: random.Random, account_id: str) -> dict:
    entity_type = rng.choice(["product", "product", "variant", "service", "customerorder"])
    action = rng.choice(["UPDATE", "UPDATE", "CREATE", "DELETE"])
    events = []
    for _ in range(rng.choice([1] * 8 + [2, 5, 20])):
        event = {
            "meta": {"type": entity_type, "href": f"{API}/entity/{entity_type}/{uuid.uuid4()}"},
            "action": action,
            "accountId": account_id,
        }
        if action == "UPDATE":
            event["updatedFields"] = rng.choice([["name"], ["salePrices"], ["code", "name"]])
        events.append(event)
    audit = {"meta": {"type": "audit", "href": f"{API}/audit/{uuid.uuid4()}"}, "uid": "admin@x"}
    return {"auditContext": audit | {"moment": "2026-12-03 09:00:00"}, "events": events}


def moysklad_deliveries(rng, prefix: str, path: str, account_id: str, count: int):
    for number in range(count):
        body = json.dumps(moysklad_body(rng, account_id), ensure_ascii=False).encode()
        yield Delivery(f"{prefix}-{number}-{uuid.uuid4()}", path, body)


ODD = ["", " ", "\u0000", "\ud800", "'\"<>", "%00", "../", "é𝄞", "\\", "\t\n", "x" * 5000]
WRONG = [None, 1, -1e308, "x", [], {}, True, [None], {"a": []}, "\u0000", 10**30]


def _mutate_tree(rng: random.Random, body: dict) -> dict:
    event = body["events"][0]
    choice = rng.randrange(10)
    if choice == 0:
        body["events"] = rng.choice(WRONG)
    elif choice == 1:
        event["meta"] = rng.choice(WRONG)
    elif choice == 2:
        event[rng.choice(["action", "accountId", "updatedFields"])] = rng.choice(WRONG)
    elif choice == 3:
        event["meta"]["href"] = rng.choice(ODD) + event["meta"]["href"] + rng.choice(ODD)
    elif choice == 4:
        event["meta"]["type"] = rng.choice([*ODD, "product" * 50])
    elif choice == 5:
        nested = []
        for _ in range(rng.choice([10, 100, 1000, 5000])):
            nested = [nested]
        event["extra"] = nested
    elif choice == 6:
        body["auditContext"] = rng.choice(WRONG)
    elif choice == 7:
        body["events"] = body["events"] * rng.choice([50, 150])
    elif choice == 8:
        event["updatedFields"] = [rng.choice(ODD) for _ in range(rng.randrange(1, 5))]
    else:
        body[rng.choice(ODD)] = rng.choice(WRONG)
    return body


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    choice = rng.randrange(8)
    if choice == 0:
        return raw[: rng.randrange(len(raw))]
    if choice == 1:
        data = bytearray(raw)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 2:
        return raw.replace(b'"UPDATE"', b"-1e99999").replace(b'"CREATE"', b"1e400")
    if choice == 3:
        return raw.replace(b'"admin@x"', b'"\\u0000\\ud800"')
    if choice == 4:
        return b""
    if choice == 5:
        return rng.randbytes(rng.randrange(1, 300))
    if choice == 6:
        return raw.replace(b"{", b"[", 1)
    return raw + b"garbage"


def fuzz_deliveries(rng, prefix: str, path: str, account_id: str, count: int):
    """Mostly mutated МойСклад bodies; odd requestIds and URL tokens; some chunked."""
    for number in range(count):
        body = moysklad_body(rng, account_id)
        if rng.random() < 0.5:
            body = _mutate_tree(rng, body)
        try:
            raw = json.dumps(body, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
        except (ValueError, RecursionError):
            raw = b'{"events": ' + b"[" * 3000 + b"]" * 3000 + b"}"
        if rng.random() < 0.4:
            raw = _mutate_bytes(rng, raw)
        request_id = f"{prefix}-{number}-{uuid.uuid4()}"
        if rng.random() < 0.1:
            request_id += rng.choice(ODD)
        token_path = path
        if rng.random() < 0.05:
            token_path = path + quote(rng.choice(ODD) or "x", safe="", errors=ESC)
        yield Delivery(request_id, token_path, raw, chunked=rng.random() < 0.1)
