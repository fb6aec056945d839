import json
import uuid

import pytest
from falcon import testing

from receiver.app import create_app
from store.crypto import webhook_token
from store.settings import RECEIVE_PATH

ACCOUNT_ID = "9171a53c-b719-11eb-c0a8-800d00000001"
PRODUCT_HREF = "https://api.moysklad.ru/api/remap/1.2/entity/product/"


def moysklad_body(account_id: str = ACCOUNT_ID, events: int = 1, action: str = "UPDATE") -> bytes:
    """A body shaped like MOYSKLAD.md §1, with `events` product events."""
    return json.dumps(
        {
            "auditContext": {
                "meta": {"type": "audit", "href": "https://api.moysklad.ru/api/remap/1.2/audit/x"},
                "moment": "2021-07-21 15:51:16",
                "uid": "test@test",
            },
            "events": [
                {
                    "meta": {"type": "product", "href": PRODUCT_HREF + str(uuid.uuid4())},
                    "updatedFields": ["name", "description"],
                    "action": action,
                    "accountId": account_id,
                }
                for _ in range(events)
            ],
        }
    ).encode()


@pytest.fixture
def receive_path(settings):
    return RECEIVE_PATH + webhook_token(ACCOUNT_ID, settings.app_secret)


@pytest.fixture
def client(settings, db, redis):
    return testing.TestClient(create_app(settings, redis))
