"""Bodies, requestIds and tokens PostgreSQL would refuse: a 4xx saying why, recorded — never a 500.

The property-based test (hypothesis) throws generated and mutated requests at the receiver with
PostgreSQL and Redis up: no answer is ever ≥ 500, an accepted delivery is stored, a rejection is
recorded with its reason.
"""

import json
import os
import string
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from store.crypto import webhook_token
from store.db import database
from store.models import WebhookLog
from store.settings import RECEIVE_PATH
from tests.receiver.conftest import ACCOUNT_ID, PRODUCT_HREF, moysklad_body


def an_event(**fields) -> dict:
    base = {
        "meta": {"type": "product", "href": PRODUCT_HREF + str(uuid.uuid4())},
        "action": "UPDATE",
        "accountId": ACCOUNT_ID,
    }
    return base | fields


def body_of(*events, **extra) -> bytes:
    return json.dumps({"events": list(events), **extra}).encode()


def nested(depth: int) -> str:
    deep = "[" * depth + "]" * depth
    return '{"events": [' + json.dumps(an_event())[:-1] + ', "x": ' + deep + "}]}"


UNSTORABLE = [
    (b'{"events": [], "note": "a\\u0000b"}', "U+0000"),
    (body_of(an_event(), note="\ud800 alone"), "U+D800"),
    (b'{"events": [], "\\udfff": 1}', "U+DFFF"),
    (body_of(an_event()).replace(b'"UPDATE"', b'"UPDATE", "n": -1e99999'), "out of range"),
    (body_of(an_event()).replace(b'"UPDATE"', b'"UPDATE", "n": 1e400'), "out of range"),
    (body_of(an_event()).replace(b'"UPDATE"', b'"UPDATE", "n": 1e-99999'), "out of range"),
    (body_of(an_event()).replace(b'"UPDATE"', b'"UPDATE", "n": ' + b"9" * 5000), "characters long"),
    (nested(100).encode(), "nested more than 64"),
    (nested(100_000).encode(), "nested more than 64"),
    (body_of(an_event(meta={"type": "p" * 300, "href": PRODUCT_HREF + "x"})), "longer than 255"),
    (body_of(an_event(meta={"type": "product", "href": PRODUCT_HREF + "x" * 3000})), "longer than"),
    (body_of(an_event(meta={"type": 5, "href": PRODUCT_HREF + "x"})), "meta.type is missing"),
    (body_of(an_event(action=["UPDATE"])), "action must be one of"),
    (body_of(an_event(accountId={"id": ACCOUNT_ID})), "accountId is missing"),
    (body_of(an_event(updatedFields="name")), "updatedFields must be a list"),
    (body_of(an_event(updatedFields=[1, 2])), "updatedFields must be a list"),
    (body_of("an event"), "must be an object"),
    (b'{"events": {"0": 1}}', "non-empty list"),
    (b'{"events": [1]} trailing', "not JSON"),
    (b"\xed\xa0\x80", "not JSON"),  # a surrogate encoded in UTF-8
    (b'{"events": NaN}', "not JSON"),
]


@pytest.mark.parametrize(("body", "reason"), UNSTORABLE)
def test_a_body_postgres_would_refuse_is_400_with_its_reason_and_recorded(
    client, receive_path, body, reason
):
    answer = client.simulate_post(receive_path, body=body, query_string="requestId=hostile")
    assert answer.status_code in (400, 403), answer.json
    assert reason in answer.json["message"]
    log = WebhookLog.get()
    assert (log.request_id, log.status, log.http_status) == ("hostile", "rejected", 400)
    assert reason in log.reason and log.raw_body is not None


@pytest.mark.parametrize("request_id", ["a%00b", "tab%09here", "new%0Aline", "%7F", "%1B[31m"])
def test_a_request_id_with_unprintable_characters_is_400_and_recorded(
    client, receive_path, request_id
):
    answer = client.simulate_post(
        receive_path, body=moysklad_body(), query_string=f"requestId={request_id}"
    )
    assert answer.status_code == 400 and "requestId" in answer.json["message"]
    log = WebhookLog.get()
    assert log.status == "rejected" and log.request_id.startswith("bad-request-id-")


@pytest.mark.parametrize("tail", ["é" * 64, "\x00" * 64, "ю" + "0" * 63, "%00", "a" * 5000])
def test_a_token_with_odd_characters_is_404_and_writes_nothing(client, tail):
    answer = client.simulate_post(RECEIVE_PATH + tail, body=moysklad_body())
    assert answer.status_code == 404 and answer.json["error"] == "unknown_token"
    assert WebhookLog.select().count() == 0


def test_a_wrong_account_with_odd_characters_is_403_and_recorded(client, receive_path):
    body = body_of(an_event(accountId="\u202e" + "x" * 500))
    answer = client.simulate_post(receive_path, body=body, query_string="requestId=w")
    assert answer.status_code == 403
    assert WebhookLog.get().status == "rejected"


# --- property-based: nothing a client sends makes the receiver answer ≥ 500 ---

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
events = st.fixed_dictionaries(
    {},
    optional={
        "meta": st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(["product", "variant", ""]) | json_values,
                "href": st.just(PRODUCT_HREF + "id-1") | st.text() | json_values,
            },
        )
        | json_values,
        "action": st.sampled_from(["CREATE", "UPDATE", "DELETE", "PROCESSED"]) | json_values,
        "accountId": st.just(ACCOUNT_ID) | st.text() | json_values,
        "updatedFields": st.lists(st.text(max_size=10), max_size=3) | json_values,
    },
)
documents = st.fixed_dictionaries({"events": st.lists(events, max_size=4) | json_values}) | (
    json_values
)


@st.composite
def mutated(draw) -> bytes:
    """A real body with bytes replaced, inserted or cut, or JSON fragments spliced in."""
    raw = bytearray(moysklad_body(events=draw(st.integers(1, 3))))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        choice = draw(st.sampled_from(["byte", "cut", "splice"]))
        if choice == "byte":
            raw[at:at] = bytes([draw(st.integers(0, 255))])
        elif choice == "cut":
            del raw[at : at + draw(st.integers(1, 20))]
        else:
            raw[at:at] = draw(
                st.sampled_from(
                    [b"\\u0000", b"\\ud800", b"-1e99999", b"1e400", b"[[[[", b'"', b"\\", b"null"]
                )
            )
    return bytes(raw)


FIELD_PATHS = [
    ("meta", "type"),
    ("meta", "href"),
    ("meta",),
    ("action",),
    ("accountId",),
    ("updatedFields",),
    ("extra",),
]


@st.composite
def tampered(draw) -> bytes:
    """A real body with one event field replaced by any JSON value (or left as it was)."""
    document = json.loads(moysklad_body(events=draw(st.integers(1, 3))))
    target = document["events"][draw(st.integers(0, len(document["events"]) - 1))]
    path = draw(st.sampled_from(FIELD_PATHS))
    for key in path[:-1]:
        target = target[key]
    if draw(st.booleans()):
        target[path[-1]] = draw(json_values)
    return json.dumps(document).encode()


bodies = st.one_of(
    tampered(),
    tampered(),
    documents.map(lambda doc: json.dumps(doc).encode()),
    documents.map(lambda doc: json.dumps(doc, ensure_ascii=False).encode("utf-8", "replace")),
    mutated(),
    st.binary(max_size=200),
)
# What an HTTP request line can carry (the test client cannot encode a lone surrogate).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
request_ids = st.none() | any_text | st.text(string.printable, max_size=300)
odd_tokens = st.text(st.characters(exclude_categories=["Cs"]), max_size=70) | st.text(
    string.hexdigits, min_size=64, max_size=64
)
# Mostly the account's real token, so the body is what gets tested.
tokens = st.integers(0, 9).flatmap(lambda n: st.just("valid") if n < 8 else odd_tokens)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": st.text(string.printable.strip(), max_size=20),
        "Content-Length": st.integers(0, 10**7).map(str),
        "X-Request-Id": st.text(string.printable.strip(), max_size=20),
    },
)


@hypothesis_settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")),  # e.g. 10000 for a long run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, request_id=request_ids, token=tokens, extra_headers=headers)
def test_no_request_is_ever_answered_5xx_while_postgres_and_redis_are_up(
    client, settings, body, request_id, token, extra_headers
):
    if token == "valid":
        token = webhook_token(ACCOUNT_ID, settings.app_secret)
    params = {} if request_id is None else {"requestId": request_id}
    database.execute_sql("DELETE FROM webhook_logs")  # each example starts with no log
    answer = client.simulate_post(
        RECEIVE_PATH + quote(token, safe=""), body=body, params=params, headers=extra_headers
    )
    assert answer.status_code < 500, (answer.status_code, answer.text)
    event(f"answered {answer.status_code}")  # --hypothesis-show-statistics shows the mix
    assert answer.json is not None  # every answer says what happened, as JSON
    logs = list(WebhookLog.select())
    if answer.status_code == 200:
        assert answer.json["status"] == "accepted" and not answer.json.get("spooled")
        assert [(log.id, log.status) for log in logs] == [(answer.json["logId"], "received")]
    elif answer.status_code == 404:
        assert logs == []  # a stranger's request writes nothing
    else:
        assert answer.status_code in (400, 403, 413) and answer.json["message"]
        assert [(log.status, log.reason) for log in logs] == [("rejected", answer.json["message"])]
