"""Test-side controls of the Idura emulator (its /_emulator endpoints, which need its token)."""

from __future__ import annotations

import hashlib
import ssl
import time
from collections import Counter

import httpx

from idura_cognito.local.processes import IduraEmulator

MUTATING = ("create", "update", "secret", "delete")


class EmulatorAdmin:
    def __init__(self, emulator: IduraEmulator) -> None:
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=emulator.base_url,
            verify=ssl.create_default_context(cafile=emulator.ca_file),
            headers={"Authorization": f"Bearer {emulator.token}"},
            timeout=30,
        )

    def requests(self) -> list[dict]:
        return self.http.get("/_emulator/requests").json()["requests"]

    def clear_requests(self) -> None:
        self.http.delete("/_emulator/requests")

    def wait_until_settled(self, timeout: float = 5.0) -> None:
        """Until every shielded request has completed at the emulator (it finishes after its client left; an
        unshielded one is cancelled with its connection)."""
        deadline = time.monotonic() + timeout

        def pending() -> bool:
            return any(r.get("done") is None and r.get("fault") == "before, shielded" for r in self.requests())

        while pending() and time.monotonic() < deadline:
            time.sleep(0.05)

    def requests_for(self, application_id: str | None = None, since: float = 0.0) -> list[dict]:
        """Requests since ``since`` (time.time()) that read the domain's applications (discovery, the collection)
        or act on ``application_id``. Each xdist worker has its own emulator and runs its tests one at a time, so
        these are the test's own. A create names its realm only in its body: check with ``applications(realm)``."""
        return [
            r
            for r in self.requests()
            if r["time"] >= since
            and (r["route"] in ("find", "discover") or (application_id and application_id in r["path"]))
        ]

    def routes(self) -> Counter:
        """How many requests reached each route since the last clear, the two discovery reads of every client
        (API root, tenant domains) left out: ``discoveries()`` counts those."""
        return Counter(r["route"] for r in self.requests() if r["route"] != "discover")

    def discoveries(self) -> int:
        return sum(r["route"] == "discover" for r in self.requests())

    def mutating(self) -> list[dict]:
        """Requests since the last clear that could change an application (create, update, secret, delete)."""
        return [r for r in self.requests() if r["route"] in MUTATING]

    def add_fault(self, **fault) -> None:
        self.http.post("/_emulator/faults", json=fault).raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete("/_emulator/faults")

    def settings(self, **settings) -> None:
        self.http.put("/_emulator/settings", json=settings).raise_for_status()

    def enable_eids(self, acrs: list[str]) -> None:
        self.http.put("/_emulator/eids", json=acrs).raise_for_status()

    def applications(self, realm: str) -> list[dict]:
        apps = self.http.get("/_emulator/state").json()["applications"]
        return [a for a in apps if a["realm"] == realm and a["domain"] == self.emulator.domain]

    def application(self, realm: str) -> dict:
        (app,) = self.applications(realm)
        return app

    def change(self, realm: str, **changes) -> dict:
        response = self.http.patch(f"/_emulator/applications/{self.emulator.domain}/{realm}", json=changes)
        response.raise_for_status()
        return response.json()

    def rotate_secret(self, realm: str) -> None:
        """Someone issues a new client secret through the management API, behind Terraform's back."""
        app = self.application(realm)
        path = f"/management/v1/domains/{self.emulator.domain}/applications/{app['id']}/client-secret"
        self.http.post(path, json={}).raise_for_status()

    def register(self, realm: str, secret: str, return_urls: list[str], **same: str) -> dict:
        """An application registered by hand in the dashboard, with the secret it showed (``id``/``secretId``
        put a deleted one back as it was)."""
        body = {
            "domain": self.emulator.domain,
            "realm": realm,
            "returnUrls": return_urls,
            "secret": secret,
            **same,
        }
        response = self.http.post("/_emulator/register", json=body)
        response.raise_for_status()
        return response.json()

    def delete_application(self, realm: str) -> None:
        app = self.application(realm)
        response = self.http.delete(f"/management/v1/domains/{self.emulator.domain}/applications/{app['id']}")
        assert response.status_code == 204


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
