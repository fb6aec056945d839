"""The simulator's state and its Python API: accounts, entities, webhooks, deliveries."""

import uuid
from collections.abc import Iterable

from scripts.simulator import catalog, inspection, notifications, webhook_registry
from scripts.simulator.account import Account
from scripts.simulator.delivery import DELIVERY_TIMEOUT
from scripts.simulator.errors import AUTH_FAILED, ApiError
from scripts.simulator.hrefs import absolutize
from scripts.simulator.instruments import Instruments, RecordedRequest
from scripts.simulator.limits import TOKEN_KINDS, WEIGHTS
from scripts.simulator.vendor_side import VendorSide

REAL_API_URL = "https://api.moysklad.ru/api/remap/1.2"
OUR_APP = "a1a1a1a1-0000-4000-8000-000000000001"
FOREIGN_APP = "f0f0f0f0-0000-4000-8000-000000000002"


class Simulator(Instruments, VendorSide):
    """In-memory МойСклад; every method is thread-safe."""

    def __init__(self, public_url: str | None = None, delivery_timeout: float = DELIVERY_TIMEOUT):
        super().__init__(delivery_timeout)
        self.public_url = public_url
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, tuple[str, str]] = {}
        self.token_kinds: dict[str, str] = {}
        self.init_vendor()

    @property
    def base_url(self) -> str:
        return self.public_url or REAL_API_URL

    def render(self, value):
        """A stored value with absolute hrefs and without the simulator's bookkeeping."""
        if isinstance(value, dict) and "_app" in value:
            value = webhook_registry.public(value)
        return absolutize(value, self.base_url)

    # --- accounts ---------------------------------------------------------------------------
    def add_account(
        self,
        account_id: str | None = None,
        token: str | None = None,
        app_id: str = OUR_APP,
        token_kind: str = "app",
    ) -> str:
        """An account (kept if it exists) and a token of a kind: app, draft or user."""
        if token_kind not in TOKEN_KINDS:
            raise ValueError(f"token_kind must be one of {', '.join(TOKEN_KINDS)}")
        account_id = account_id or str(uuid.uuid4())
        with self.lock:
            self.accounts.setdefault(account_id, Account(account_id))
            if token:
                self.tokens[token] = (account_id, app_id)
                self.token_kinds[token] = token_kind
        return account_id

    def token_weight(self, token: str | None) -> tuple[str | None, int]:
        """(kind, weight) of a token: what one request of it costs in the limit's bucket."""
        kind = self.token_kinds.get(token or "")
        return kind, WEIGHTS.get(kind or "", 0)

    def account(self, account_id: str) -> Account:
        with self.lock:
            if account_id not in self.accounts:
                raise ApiError(404, 1021, f"Аккаунт '{account_id}' не найден")
            return self.accounts[account_id]

    def authenticate(self, token: str | None) -> tuple[str, str]:
        """(account id, app id) of a Bearer token, or the 401 МойСклад answers."""
        with self.lock:
            if token in self.tokens:
                return self.tokens[token]
        raise ApiError(401, AUTH_FAILED, "Ошибка аутентификации: неверный токен")

    # --- entities -----------------------------------------------------------------------------
    def add_entity(self, account_id: str, entity_type: str, data: dict) -> dict:
        """Seed an entity without firing webhooks."""
        with self.lock:
            return self.render(catalog.create(self.account(account_id), entity_type, data)[0])

    def create_entity(
        self, account_id: str, entity_type: str, data: dict, disable_prefixes: Iterable[str] = ()
    ) -> dict:
        with self.lock:
            entity, change = catalog.create(self.account(account_id), entity_type, data)
            self.fire(account_id, [change], disable_prefixes)
            return self.render(entity)

    def update_entity(
        self,
        account_id: str,
        entity_type: str,
        entity_id: str,
        data: dict,
        as_user: bool = True,
        disable_prefixes: Iterable[str] = (),
    ) -> dict:
        """Edit an entity; as a user (the default) the change fires webhooks."""
        with self.lock:
            account = self.account(account_id)
            entity, change = catalog.update(account, entity_type, entity_id, data)
            if as_user and change:
                self.fire(account_id, [change], disable_prefixes)
            return self.render(entity)

    def delete_entity(
        self,
        account_id: str,
        entity_type: str,
        entity_id: str,
        disable_prefixes: Iterable[str] = (),
    ) -> None:
        with self.lock:
            change = catalog.delete(self.account(account_id), entity_type, entity_id)
            self.fire(account_id, [change], disable_prefixes)

    def create_entities(
        self, account_id: str, entity_type: str, items: list[dict], disable_prefixes=()
    ) -> list[dict]:
        """A bulk create in one call: one body per webhook carrying every CREATE event."""
        with self.lock:
            account = self.account(account_id)
            created = [catalog.create(account, entity_type, item) for item in items]
            self.fire(account_id, [change for _, change in created], disable_prefixes)
            return [self.render(entity) for entity, _ in created]

    def update_entities(
        self, account_id: str, entity_type: str, edits: dict[str, dict], disable_prefixes=()
    ) -> list[dict]:
        """A bulk edit as a user ({id: changes}): one body per webhook with every UPDATE event."""
        with self.lock:
            account = self.account(account_id)
            updated = [catalog.update(account, entity_type, i, data) for i, data in edits.items()]
            self.fire(account_id, [change for _, change in updated], disable_prefixes)
            return [self.render(entity) for entity, _ in updated]

    def entity(self, account_id: str, entity_type: str, entity_id: str) -> dict:
        with self.lock:
            return self.render(catalog.get(self.account(account_id), entity_type, entity_id))

    def entities(self, account_id: str, entity_type: str) -> list[dict]:
        """Every entity of a type, archived ones included (a catalogue dump)."""
        with self.lock:
            return self.render(list(self.account(account_id).of_type(entity_type).values()))

    def catalog_diff(
        self, left: str, right: str, entity_type: str, match: str = "name", fields=None
    ) -> dict:
        """Two accounts' catalogues of a type compared, entities paired by `match`."""
        return inspection.diff(
            self.entities(left, entity_type), self.entities(right, entity_type), match, fields
        )

    # --- webhooks -----------------------------------------------------------------------------
    def add_webhook(
        self,
        account_id: str,
        url: str,
        entity_type: str,
        action: str,
        diff_type: str | None = None,
        app_id: str = FOREIGN_APP,
        enabled: bool = True,
    ) -> dict:
        """Install a webhook directly (by default another application's)."""
        data = {"url": url, "entityType": entity_type, "action": action, "enabled": enabled}
        if diff_type:
            data["diffType"] = diff_type
        with self.lock:
            return self.render(webhook_registry.create(self.account(account_id), app_id, data))

    def webhooks(self, account_id: str) -> list[dict]:
        with self.lock:
            return [self.render(w) for w in self.account(account_id).webhooks.values()]

    def set_webhook_enabled(self, webhook_id: str, enabled: bool) -> None:
        """What МойСклад does on its own (auto-disable, app suspended)."""
        with self.lock:
            for account in self.accounts.values():
                if webhook_id in account.webhooks:
                    account.webhooks[webhook_id]["enabled"] = enabled
                    return
        raise ApiError(404, 1021, f"Вебхук '{webhook_id}' не найден")

    def disable_webhook(self, webhook_id: str) -> None:
        self.set_webhook_enabled(webhook_id, False)

    def remove_webhook(self, webhook_id: str) -> None:
        """Delete a webhook behind the application's back (as an uninstall would)."""
        with self.lock:
            for account in self.accounts.values():
                account.webhooks.pop(webhook_id, None)

    # --- delivery -----------------------------------------------------------------------------
    def fire(
        self, account_id: str, changes: list, disable_prefixes: Iterable[str] = ()
    ) -> list[str]:
        """Queue one body per matching enabled webhook with all events of these changes."""
        with self.lock:
            hooks = [dict(w) for w in self.account(account_id).webhooks.values()]
        found = notifications.bodies(
            account_id, hooks, changes, tuple(disable_prefixes), self.render
        )
        return [
            self.deliverer.submit(hook["url"], body, account_id=account_id, webhook_id=hook["id"])
            for hook, body in found
        ]

    def deliver(
        self,
        account_id: str | None = None,
        events: list | None = None,
        *,
        url: str | None = None,
        body: object = None,
        request_id: str | None = None,
    ) -> list[str]:
        """Raw delivery of a custom (even malformed) body to `url` or the account's webhooks."""
        if body is None:
            body = {
                "auditContext": notifications.audit_context(account_id or ""),
                "events": events or [],
            }
            body = self.render(body)
        if url:
            return [self.deliverer.submit(url, body, account_id=account_id, request_id=request_id)]
        return [
            self.deliverer.submit(
                hook["url"],
                body,
                account_id=account_id,
                webhook_id=hook["id"],
                request_id=request_id,
            )
            for hook in self.webhooks(account_id)
            if hook["enabled"]
        ]

    def reset(self) -> None:
        """Forget everything: accounts, tokens, records, faults, latency, limits."""
        with self.lock:
            self.accounts.clear()
            self.tokens.clear()
            self.token_kinds.clear()
            self.init_vendor()
        self.reset_instruments()


__all__ = ["FOREIGN_APP", "OUR_APP", "RecordedRequest", "Simulator"]
