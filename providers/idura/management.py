"""Client for the Idura management API as docs/idura-management-api.md states it (stdlib + httpx only).

Idura publishes no management API spec; this module and that document are the one place to adapt when the
real API differs. Every call is bounded: connect/read timeouts per attempt and a total deadline. Idempotent
calls (find, get, update, delete) and secret issuance (each call supersedes the previous secret, so the last
answer wins) are retried on 429, 502, 503, 504 and connection errors with exponential backoff and full jitter,
honouring ``Retry-After``. Create is never repeated blindly: after an ambiguous failure the client looks the
application up and only creates again when it is not there.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import random
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

URL_ENV = "IDURA_MANAGEMENT_URL"
TOKEN_ENV = "IDURA_MANAGEMENT_TOKEN"  # noqa: S105 - the variable's name, not a token
CA_BUNDLE_ENV = "IDURA_CA_BUNDLE"
TIMEOUT_ENV = "IDURA_MANAGEMENT_TIMEOUT"
DEADLINE_ENV = "IDURA_MANAGEMENT_DEADLINE"

RETRY_STATUSES = frozenset({429, 502, 503, 504})
USER_INFO_STRATEGY = "plainJson"


class ManagementError(Exception):
    """A management call failed. The message is one line and never holds a secret or the token."""


class NotFound(ManagementError):
    pass


class Conflict(ManagementError):
    pass


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per call, backoff and the bounds; see the contract document."""

    attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 4.0
    max_retry_after: float = 10.0
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 45.0

    @classmethod
    def from_environment(cls) -> RetryPolicy:
        policy = cls()
        read = _float_env(TIMEOUT_ENV, policy.read_timeout)
        deadline = _float_env(DEADLINE_ENV, policy.deadline)
        return cls(read_timeout=read, deadline=deadline)

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))  # noqa: S311 - jitter


@dataclass(frozen=True)
class Application:
    id: str
    realm: str
    name: str
    return_urls: tuple[str, ...]
    code_flow: bool
    user_info_strategy: str
    secret_id: str | None  # id of the current client secret (not the secret); None when none was issued

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Application:
        oauth2 = body.get("oauth2") or {}
        return cls(
            id=str(body["id"]),
            realm=str(body["realm"]),
            name=str(body.get("name", "")),
            return_urls=tuple(body.get("returnUrls") or ()),
            code_flow=bool(oauth2.get("codeFlow")),
            user_info_strategy=str(oauth2.get("userInfoResponseStrategy", "")),
            secret_id=oauth2.get("clientSecretId"),
        )


@dataclass
class ManagementClient:
    base_url: str
    token: str = field(repr=False)
    ca_bundle: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None  # injected in unit tests
    sleep: Any = time.sleep
    clock: Any = time.monotonic
    _http: httpx.Client | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_environment(cls) -> ManagementClient:
        url = os.environ.get(URL_ENV, "").strip()
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not url:
            raise ManagementError(f"{URL_ENV} is not set: export the Idura management API base URL")
        if not url.startswith("https://"):
            raise ManagementError(f"{URL_ENV} must be an https:// URL")
        if not token:
            raise ManagementError(f"{TOKEN_ENV} is not set: export an Idura management API token")
        ca_bundle = os.environ.get(CA_BUNDLE_ENV) or None
        if ca_bundle and not os.path.isfile(ca_bundle):
            raise ManagementError(f"{CA_BUNDLE_ENV} names {ca_bundle!r}, which is not a file")
        return cls(url.rstrip("/"), token, ca_bundle, RetryPolicy.from_environment())

    # -- operations -------------------------------------------------------------------------------------

    def find(self, domain: str, realm: str) -> Application | None:
        body = self._call("GET", self._apps(domain), params={"realm": realm}, retry=True).json()
        matches = [a for a in body.get("applications", []) if a.get("realm") == realm]
        return Application.from_json(matches[0]) if matches else None

    def create(self, domain: str, *, realm: str, name: str, return_urls: list[str]) -> Application:
        """Create; a conflict or an ambiguous failure is resolved by a find, never by a blind retry."""
        body = {
            "realm": realm,
            "name": name,
            "returnUrls": return_urls,
            "oauth2": {"codeFlow": True, "userInfoResponseStrategy": USER_INFO_STRATEGY},
        }
        try:
            response = self._call("POST", self._apps(domain), json=body, retry=False)
            return Application.from_json(response.json())
        except Conflict:
            pass
        except _Ambiguous:
            pass
        existing = self.find(domain, realm)
        if existing is not None:
            return existing
        # The ambiguous attempt did not create it: one more create is safe now.
        try:
            response = self._call("POST", self._apps(domain), json=body, retry=False)
        except Conflict:
            found = self.find(domain, realm)
            if found is None:
                raise ManagementError("create conflicted, yet the application cannot be found") from None
            return found
        except _Ambiguous as exc:
            raise ManagementError(str(exc)) from None
        return Application.from_json(response.json())

    def update(self, domain: str, app_id: str, *, return_urls: list[str]) -> Application:
        body = {
            "returnUrls": return_urls,
            "oauth2": {"codeFlow": True, "userInfoResponseStrategy": USER_INFO_STRATEGY},
        }
        return Application.from_json(self._call("PATCH", self._app(domain, app_id), json=body, retry=True).json())

    def issue_secret(self, domain: str, app_id: str) -> tuple[str, str]:
        """A new client secret (returned once; the previous one stops working) and its id."""
        body = self._call("POST", f"{self._app(domain, app_id)}/client-secret", retry=True).json()
        secret, secret_id = body.get("clientSecret"), body.get("clientSecretId")
        if not isinstance(secret, str) or not secret or not isinstance(secret_id, str):
            raise ManagementError("Idura answered the secret request without a client secret")
        return secret, secret_id

    def delete(self, domain: str, app_id: str) -> None:
        with contextlib.suppress(NotFound):  # already gone is gone
            self._call("DELETE", self._app(domain, app_id), retry=True)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    # -- transport --------------------------------------------------------------------------------------

    def _apps(self, domain: str) -> str:
        return f"/domains/{quote(domain, safe='')}/applications"

    def _app(self, domain: str, app_id: str) -> str:
        return f"{self._apps(domain)}/{quote(app_id, safe='')}"

    def _client(self) -> httpx.Client:
        if self._http is None:
            verify: Any = True
            if self.ca_bundle:
                verify = ssl.create_default_context(cafile=self.ca_bundle)
            self._http = httpx.Client(
                base_url=self.base_url,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/json",
                    "User-Agent": "idura-cognito",
                },
                timeout=httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
                verify=verify,
                transport=self.transport,
                trust_env=False,
                follow_redirects=False,
            )
        return self._http

    def _call(self, method: str, path: str, *, retry: bool, **kwargs: Any) -> httpx.Response:
        started = self.clock()
        what = f"{method} {path.split('?')[0]}"
        for attempt in range(self.policy.attempts):
            retry_after: float | None = None
            try:
                response = self._client().request(method, path, **kwargs)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as exc:
                if _is_tls_failure(exc):
                    raise ManagementError(
                        f"TLS verification failed for {self.base_url}: set {CA_BUNDLE_ENV} to the CA bundle "
                        "that signed its certificate"
                    ) from None
                problem = f"connection failed ({exc.__class__.__name__})"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    if not retry and response.status_code >= 500:  # a 500 may have done the work
                        raise _Ambiguous(f"Idura management API {what}: HTTP {response.status_code}")
                    raise _http_error(what, response)
                problem = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            if not retry:
                raise _Ambiguous(f"Idura management API {what}: {problem}")
            delay = self.policy.backoff(attempt, retry_after)
            last = attempt == self.policy.attempts - 1
            if last or self.clock() - started + delay > self.policy.deadline:
                raise ManagementError(
                    f"Idura management API {what}: {problem} after {attempt + 1} attempt(s) "
                    f"in {self.clock() - started:.1f} s"
                )
            self.sleep(delay)
        raise AssertionError("unreachable")


class _Ambiguous(ManagementError):
    """A non-retried call failed in a way that leaves its effect unknown."""


def _http_error(what: str, response: httpx.Response) -> ManagementError:
    try:
        message = str(response.json().get("message", ""))[:200]
    except ValueError:
        message = ""
    message = " ".join(message.split())  # one line, whatever the server sent
    status = response.status_code
    hint = {
        401: f"the token in {TOKEN_ENV} was refused",
        403: f"the token in {TOKEN_ENV} may not manage this domain",
    }.get(status, message or response.reason_phrase)
    error = {404: NotFound, 409: Conflict}.get(status, ManagementError)
    return error(f"Idura management API {what}: HTTP {status}: {hint}")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None  # unparseable: fall back to our own backoff
        return max(0.0, parsed.timestamp() - time.time())


def _is_tls_failure(exc: Exception) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ManagementError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ManagementError(f"{name} must be positive")
    return value
