"""The simulator playing МойСклад's app catalogue: installs, resumes, tariff changes, suspends and
uninstalls an app on an account, calling the app's vendor endpoint (see vendor.py)."""

import uuid

from scripts.simulator import vendor
from scripts.simulator.errors import ApiError
from scripts.simulator.vendor import App, Installation

API_RESOURCE = "https://api.moysklad.ru/api/remap/1.2"


class VendorSide:
    """A mixin of Simulator: apps, their installations and the lifecycle calls."""

    def init_vendor(self) -> None:
        self.apps: dict[str, App] = {}
        self.installations: dict[tuple[str, str], Installation] = {}
        self.report_jtis: set[str] = set()

    def register_app(
        self, app_id: str, secret_key: str, endpoint_base: str, app_uid: str = "sync.franchise"
    ) -> App:
        """An app in the catalogue: its id, appUid, secretKey and its vendor endpoint's base URL."""
        self.apps[app_id] = App(app_id, app_uid, secret_key, endpoint_base)
        return self.apps[app_id]

    def installation(self, app_id: str, account_id: str) -> Installation:
        found = self.installations.get((app_id, account_id))
        if found is None:
            raise ApiError(404, 2004, "Решение не подключено на этом аккаунте")
        return found

    def _activate(self, app_id: str, account_id: str, cause: str, name: str) -> Installation:
        app = self.apps[app_id]
        installation = self.installations.setdefault(
            (app_id, account_id), Installation(app_id, account_id, name)
        )
        body = {"appUid": app.app_uid, "accountName": installation.account_name, "cause": cause}
        if cause in ("Install", "Resume"):
            self._revoke(installation)
            installation.token = f"app-{uuid.uuid4().hex}"
            self.add_account(account_id, installation.token, app_id, token_kind="app")
            body["access"] = [{"resource": API_RESOURCE, "scope": ["admin"],
                               "access_token": installation.token}]  # fmt: skip
        body["subscription"] = vendor.subscription()
        response = vendor.call(app, installation, "PUT", body)
        installation.cause = cause
        installation.status = vendor.activation_status(response, cause)
        return installation

    def install_app(self, app_id: str, account_id: str, account_name: str = "shop") -> Installation:
        return self._activate(app_id, account_id, "Install", account_name)

    def resume_app(self, app_id: str, account_id: str) -> Installation:
        """A suspended app comes back: a new token (the old one stays revoked)."""
        return self._activate(app_id, account_id, "Resume", "")

    def change_tariff(self, app_id: str, account_id: str) -> Installation:
        """TariffChanged: no token in the body; the app keeps the one it has."""
        installation = self.installation(app_id, account_id)
        status = installation.status
        self._activate(app_id, account_id, "TariffChanged", installation.account_name)
        if installation.status == "ActivationFailed":
            return installation
        installation.status = status if status in vendor.REPORTED else installation.status
        return installation

    def suspend_app(self, app_id: str, account_id: str) -> Installation:
        """The token is revoked and the app's webhooks are disabled, then the app is told."""
        return self._deactivate(app_id, account_id, "Suspend")

    def uninstall_app(self, app_id: str, account_id: str) -> Installation:
        """The token is revoked and the app's webhooks deleted, then the app is told."""
        return self._deactivate(app_id, account_id, "Uninstall")

    def _deactivate(self, app_id: str, account_id: str, cause: str) -> Installation:
        app, installation = self.apps[app_id], self.installation(app_id, account_id)
        self._revoke(installation)
        with self.lock:
            hooks = self.account(account_id).webhooks
            for hook_id in [h for h, w in hooks.items() if w["_app"] == app_id]:
                if cause == "Uninstall":
                    del hooks[hook_id]
                else:
                    hooks[hook_id]["enabled"] = False
        body = {"appUid": app.app_uid, "accountName": installation.account_name, "cause": cause}
        response = vendor.call(app, installation, "DELETE", body)
        failed = 400 <= response.status_code < 500 or response.status_code == vendor.FAILED
        installation.cause = cause
        ended = "Suspended" if cause == "Suspend" else "Uninstalled"
        installation.status = "DeactivationFailed" if failed else ended
        return installation

    def _revoke(self, installation: Installation) -> None:
        if installation.token:
            with self.lock:
                self.tokens.pop(installation.token, None)
                self.token_kinds.pop(installation.token, None)
            installation.token = None

    def report_status(self, app_id: str, account_id: str, authorization: str | None, status):
        """The app's `PUT .../status`: its JWT checked, then a lifecycle transition (else 409)."""
        app = self.apps.get(app_id)
        if app is None:
            raise ApiError(404, 2004, "Решение не найдено")
        try:
            vendor.verify_report(app, authorization, self.report_jtis)
        except vendor.jwt.InvalidTokenError as error:
            raise ApiError(401, 1056, f"JWT отклонён: {error}") from None
        installation = self.installation(app_id, account_id)
        if status not in vendor.REPORTED.get(installation.status, {installation.status}):
            raise ApiError(409, 2005, f"Переход {installation.status} → {status} невозможен")
        installation.status = status
        return installation
