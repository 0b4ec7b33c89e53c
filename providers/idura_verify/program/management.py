"""Client for the Idura management API as docs/idura-management-api.md states it (standard library only).

Idura publishes no management API spec; this module, discovery.py (the API's links and media types, shaped like
Idura's 2018 API) and that document are the one place to adapt when the real API differs. The client starts at
the API root and follows links to the domain's applications, as the only published client of an Idura
management API did. Every call is bounded: connect/read timeouts per attempt, a wall-clock deadline per call that
also holds against a server trickling bytes, and a budget of requests per client (one program run).
Idempotent calls (find, get, update, delete) are retried on 429, 502, 503, 504 and connection errors with
exponential backoff and full jitter, honouring ``Retry-After``. The applications collection may come in pages
(our proposal: a ``next`` link on each page but the last); a find follows them, one deadline for all of them,
and stops at the page that holds the realm. Create is never repeated blindly: a 429 (not
processed) waits and retries; any other failure is resolved by a find. A secret is issued only as a
replacement of the secret id the caller saw (compare and swap), so an earlier request that completes late at
Idura can never overwrite the secret the caller stores.

It needs nothing beyond Python's standard library (http.client, ssl) and runs on Python 3.9 and newer: it is part
of the program Terraform runs on any machine, a bare HCP Terraform worker included. TLS trusts the machine's
certificate authorities, plus ``IDURA_CA_BUNDLE`` when set. The HTTP exchange sits behind a small
:class:`Transport` (one persistent HTTPS connection per client); tests inject a scripted one.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import math
import os
import random
import re
import signal
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

if __package__:
    from . import discovery, environment
    from .oidc import USERINFO_STRATEGY
    from .rules import FORBIDDEN_CHARACTERS, RULE
else:  # run as the program folder or a script: the sibling modules sit next to this file
    import discovery  # type: ignore[no-redef]
    import environment  # type: ignore[no-redef]
    from oidc import USERINFO_STRATEGY  # type: ignore[no-redef]
    from rules import FORBIDDEN_CHARACTERS, RULE  # type: ignore[no-redef]

RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: The most HTTP requests one client (one run of the external program) ever sends, retries included, besides the
#: pages of a collection after its first (MAX_PAGES).
MAX_REQUESTS = 18
#: The most further pages (each page after the first of a collection read, retries included) one client follows:
#: with the emulator's 100 applications a page, a realm among 20,000 applications on one domain. A server whose
#: pages never end is refused at this count, so a run sends at most MAX_REQUESTS + MAX_PAGES requests.
MAX_PAGES = 200
#: How often a secret is issued again when another run replaced it in between.
SECRET_ATTEMPTS = 3


#: The largest answer read, per page: a page of 100 applications with a few URLs each is about 50 KiB.
MAX_ANSWER = 1024 * 1024
#: A bearer token as RFC 6750 writes it (b64token): anything else would break the request's header line.
_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def _is_id(value: Any) -> bool:
    """An application id the client may put in a path: text, and not a dot segment that leaves the collection."""
    return isinstance(value, str) and value not in ("", ".", "..")


class ManagementError(Exception):
    """A management call failed. The message is one line and never holds a secret or the token."""


class NotFound(ManagementError):
    pass


class Conflict(ManagementError):
    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code  # the answer's ``error``: "conflict" (this domain) or "realm_taken" (another domain)


class ClientIdTaken(ManagementError):
    """The client id (realm) belongs to another application of the tenant, on another of its domains: Idura
    requires client ids unique across the tenant's applications (docs/idura-management-api.md)."""


class AnswerTooLarge(OSError):
    """The server's answer is larger than MAX_ANSWER: refused, never retried (the same request gets the same)."""


class SecretChanged(ManagementError):
    """Issue refused: the application's current secret is no longer the one the request replaces."""


class Ambiguous(ManagementError):
    """A non-retried call failed in a way that leaves its effect unknown."""


class DuplicateApplications(ManagementError):
    """Idura holds more than one application for one client id (realm)."""


class _DeadlineExceeded(Exception):
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
    max_requests: int = MAX_REQUESTS
    max_pages: int = MAX_PAGES

    @classmethod
    def from_environment(cls) -> RetryPolicy:
        policy = cls()
        read = _seconds_env(environment.MANAGEMENT_TIMEOUT, policy.read_timeout)
        deadline = _seconds_env(environment.MANAGEMENT_DEADLINE, policy.deadline)
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
    def from_json(cls, body: Any) -> Application:
        """An application as the API describes it, its types checked: a malformed answer is one error, never a
        PATCH built from it (a string of return URLs read as characters would replace every URL)."""
        oauth2 = body.get("oauth2") if isinstance(body, dict) else None
        oauth2 = {} if oauth2 is None else oauth2
        urls = body.get("returnUrls") if isinstance(body, dict) else None
        urls = [] if urls is None else urls
        secret_id = oauth2.get("clientSecretId") if isinstance(oauth2, dict) else None
        if (
            not isinstance(body, dict)
            or not isinstance(oauth2, dict)
            or not _is_id(body.get("id"))
            or not isinstance(body.get("realm"), str)
            or not isinstance(urls, list)
            or not all(isinstance(u, str) for u in urls)
            or not (secret_id is None or isinstance(secret_id, str))
        ):
            raise ManagementError("Idura management API answered an application in an unexpected form")
        return cls(
            id=body["id"],
            realm=body["realm"],
            name=str(body.get("name", "")),
            return_urls=tuple(urls),
            code_flow=bool(oauth2.get("codeFlow")),
            user_info_strategy=str(oauth2.get("userInfoResponseStrategy", "")),
            secret_id=secret_id,
        )

    @property
    def cognito_ready(self) -> bool:
        return self.code_flow and self.user_info_strategy == USERINFO_STRATEGY


def trust_store(ca_bundle: str | None) -> ssl.SSLContext:
    """The machine's certificate authorities plus ``ca_bundle``: a private CA adds to them, never replaces."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


@dataclass
class Response:
    """One HTTP answer: what the client reads of it."""

    status_code: int
    headers: Mapping[str, str]  # names in lower case
    content: bytes = b""
    reason_phrase: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.content.decode("utf-8"))
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            raise ManagementError("Idura management API: an answer was not JSON") from None


class Transport:
    """Sends one request and returns its :class:`Response`. Raises ``TimeoutError`` when a read or the connect
    times out, ``ssl.SSLCertVerificationError`` when the certificate is not trusted and ``OSError`` (or
    ``http.client.HTTPException``) when the connection fails."""

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
        raise NotImplementedError

    def close(self) -> None:
        pass


class HTTPTransport(Transport):
    """One persistent connection to the API's host, reopened after a failure: HTTPS (the only scheme the
    environment's management URL may use; plain HTTP only for a test server built by hand)."""

    def __init__(self, base_url: str, context: ssl.SSLContext, connect_timeout: float, read_timeout: float):
        parts = urlsplit(base_url)
        self.secure = parts.scheme == "https"
        self.host, self.port = parts.hostname or "", parts.port or (443 if self.secure else 80)
        self.context, self.connect_timeout, self.read_timeout = context, connect_timeout, read_timeout
        self._connection: http.client.HTTPConnection | None = None

    def send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Response:
        if self._connection is None:
            if self.secure:
                self._connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.connect_timeout, context=self.context
                )
            else:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        try:
            if self._connection.sock is None:
                self._connection.connect()
                self._connection.sock.settimeout(self.read_timeout)
            self._connection.request(method, url, body=body, headers=headers)
            answer = self._connection.getresponse()
            declared = answer.getheader("content-length")
            if declared is not None and not declared.isdigit():
                raise OSError("an answer with a malformed Content-Length")
            if declared is not None and int(declared) > MAX_ANSWER:
                raise AnswerTooLarge(f"an answer larger than {MAX_ANSWER // 1024} KiB")
            # A whole read when the length is declared: a cut-off body then fails (IncompleteRead), not b"".
            content = answer.read() if declared is not None else answer.read(MAX_ANSWER + 1)
            if len(content) > MAX_ANSWER:
                raise AnswerTooLarge(f"an answer larger than {MAX_ANSWER // 1024} KiB")
        except BaseException:
            self.close()  # never reuse a connection in an unknown state
            raise
        received = {name.lower(): value for name, value in answer.getheaders()}
        if answer.will_close:
            self.close()
        return Response(answer.status, received, content, answer.reason)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass
class ManagementClient:
    base_url: str
    token: str = field(repr=False)
    #: The Idura tenant whose domains the token manages (IDURA_MANAGEMENT_TENANT).
    tenant: str = ""
    ca_bundle: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    transport: Transport | None = None  # injected in unit tests
    sleep: Any = time.sleep
    clock: Any = time.monotonic
    requests_sent: int = field(default=0, init=False)
    #: Requests for the pages after the first of a collection read (their own budget, max_pages).
    pages_sent: int = field(default=0, init=False)
    #: domain -> its applications collection (a path below base_url), found once per client.
    _collections: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_environment(cls) -> ManagementClient:
        url = os.environ.get(environment.MANAGEMENT_URL, "").strip()
        token = os.environ.get(environment.MANAGEMENT_TOKEN, "").strip()
        if not url:
            raise ManagementError(f"{environment.MANAGEMENT_URL} is not set: export the Idura management API base URL")
        problem = RULE[environment.MANAGEMENT_URL].problem(url)
        if problem:
            raise ManagementError(f"{environment.MANAGEMENT_URL}: {problem}")
        if not token:
            raise ManagementError(f"{environment.MANAGEMENT_TOKEN} is not set: export an Idura management API token")
        if not _TOKEN.fullmatch(token):
            raise ManagementError(
                f"{environment.MANAGEMENT_TOKEN} holds characters a bearer token cannot (letters, digits and "
                "-._~+/ then = are allowed); was more than the token pasted?"
            )
        tenant = os.environ.get(environment.MANAGEMENT_TENANT, "").strip()
        if not tenant:
            raise ManagementError(
                f"{environment.MANAGEMENT_TENANT} is not set: export the id of the Idura tenant that owns the domain"
            )
        ca_bundle = os.environ.get(environment.CA_BUNDLE) or None
        if ca_bundle and not os.path.isfile(ca_bundle):
            raise ManagementError(f"{environment.CA_BUNDLE} names a path that is not a file")
        return cls(url.rstrip("/"), token, tenant, ca_bundle, RetryPolicy.from_environment())

    # -- operations -------------------------------------------------------------------------------------

    def find(self, domain: str, realm: str) -> Application | None:
        """The application of ``realm``: the domain's collection, filtered here (as Idura's 2018 client did; a
        server filter is not relied on), page by page through the ``next`` links, up to the first page that
        holds the realm. One deadline bounds every page of the read; each page is retried and size-checked on
        its own. A ``next`` link that repeats a page, or pages that do not end within the page budget, are one
        error. Duplicates are seen within the page that holds the realm (a later page is not read: the server
        keeps client ids unique across the tenant, so there are none there)."""
        collection = self._apps(domain)
        deadline_at = self.clock() + self.policy.deadline
        path, seen, number = collection, {collection}, 1
        while True:
            page = self._call("GET", path, retry=True, deadline_at=deadline_at, further_page=number > 1).json()
            listed = page.get("applications") if isinstance(page, dict) else None
            matches = (
                [a for a in listed if isinstance(a, dict) and a.get("realm") == realm]
                if isinstance(listed, list)
                else []
            )
            if len(matches) > 1:
                raise DuplicateApplications(
                    f"Idura holds {len(matches)} applications for client id {realm!r} on {domain}: delete all but "
                    "one in Idura's dashboard (each has its own secret, so logins would fail at random)"
                )
            if matches:
                return Application.from_json(matches[0])
            href = discovery.next_page_href(page)
            if href is None:
                return None
            try:
                path = discovery.relative_to(self.base_url, href, query=True)
            except discovery.DiscoveryError as exc:
                raise ManagementError(
                    f"Idura management API GET {collection}: the next link of page {number}: {exc}"
                ) from None
            if path in seen:
                raise ManagementError(
                    f"Idura management API GET {collection}: page {number}'s next link leads back to an earlier "
                    "page (the pages loop); refused"
                )
            seen.add(path)
            number += 1

    def get(self, domain: str, app_id: str) -> Application:
        return Application.from_json(self._call("GET", self._app(domain, app_id), retry=True).json())

    def create(self, domain: str, *, realm: str, name: str, return_urls: list[str]) -> tuple[Application, bool]:
        """Create; returns the application and whether this call created it.

        A conflict or an ambiguous failure is resolved by a find, never by a blind retry: an application that
        is found then was made by someone else (another run) or by our own lost attempt, and is reported as
        not created by us.
        """
        body = {
            "realm": realm,
            "name": name,
            "returnUrls": return_urls,
            "tags": ["idura-cognito"],
            "oauth2": {"codeFlow": True, "userInfoResponseStrategy": USERINFO_STRATEGY},
        }
        media = discovery.media_type("application")
        for _ in range(2):  # at most one more create, and only after a find proved the first did nothing
            try:
                response = self._call("POST", self._apps(domain), json=body, retry=False, media_type=media)
                return Application.from_json(response.json()), True
            except (Conflict, Ambiguous) as exc:
                if isinstance(exc, Conflict) and exc.code == "realm_taken":
                    raise _client_id_taken(realm, domain) from None
                existing = self.find(domain, realm)
                if existing is not None:
                    return existing, False
                if isinstance(exc, Conflict):  # a conflict with nothing on this domain: another domain holds it
                    raise _client_id_taken(realm, domain) from None
        raise ManagementError(f"Idura management API POST {self._apps(domain)}: the create failed twice")

    def update(self, domain: str, app_id: str, *, return_urls: list[str]) -> Application:
        body = {
            "returnUrls": return_urls,
            "oauth2": {"codeFlow": True, "userInfoResponseStrategy": USERINFO_STRATEGY},
        }
        return Application.from_json(self._call("PATCH", self._app(domain, app_id), json=body, retry=True).json())

    def issue_secret(self, domain: str, app_id: str, replaces: str | None) -> tuple[str, str]:
        """A new client secret (returned once; the previous one stops working) and its id.

        ``replaces`` is the secret id the caller saw (None: the application has none). Idura refuses the
        request (SecretChanged) when the current secret is another, e.g. issued by an earlier attempt of ours
        whose answer was lost, so a late request can never supersede a secret after its successor was stored.
        """
        path = f"{self._app(domain, app_id)}/client-secret"
        body = self._call("POST", path, json={"replaces": replaces}, retry=True).json()
        secret, secret_id = body.get("clientSecret"), body.get("clientSecretId")
        if not isinstance(secret, str) or not secret or not isinstance(secret_id, str):
            raise ManagementError("Idura answered the secret request without a client secret")
        return secret, secret_id

    def rotate_secret(self, domain: str, app: Application) -> tuple[str, str]:
        """Issue a secret replacing the current one; re-read and try again when it changed in between."""
        current = app.secret_id
        for _ in range(SECRET_ATTEMPTS):
            try:
                return self.issue_secret(domain, app.id, replaces=current)
            except SecretChanged:
                current = self.get(domain, app.id).secret_id
        raise ManagementError(
            f"the client secret of {app.realm!r} changed {SECRET_ATTEMPTS} times while this run replaced it: "
            "another run is rotating it; plan again when it has finished"
        )

    def delete(self, domain: str, app_id: str) -> None:
        with contextlib.suppress(NotFound):  # already gone is gone
            self._call("DELETE", self._app(domain, app_id), retry=True)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    # -- transport --------------------------------------------------------------------------------------

    def _apps(self, domain: str) -> str:
        if domain not in self._collections:
            self._collections[domain] = self._discover(domain)
        return self._collections[domain]

    def _discover(self, domain: str) -> str:
        """The API root, the tenant's domains, the domain's applications link (two reads, once per client)."""
        try:
            root = self._call("GET", "", retry=True).json()
            domains_path = discovery.relative_to(self.base_url, discovery.tenant_domains_href(root, self.tenant))
            domains = self._call("GET", domains_path, retry=True).json()
            href = discovery.applications_href(domains, domain, self.tenant)
            return discovery.relative_to(self.base_url, href)
        except discovery.DiscoveryError as exc:
            raise ManagementError(f"Idura management API discovery: {exc}") from None

    def _app(self, domain: str, app_id: str) -> str:
        if not _is_id(app_id):
            raise ManagementError(f"Idura management API: {app_id!r} is not an application id")
        return f"{self._apps(domain)}/{quote(app_id, safe='')}"

    def _transport(self) -> Transport:
        if self.transport is None:
            context = trust_store(self.ca_bundle)
            self.transport = HTTPTransport(
                self.base_url, context, self.policy.connect_timeout, self.policy.read_timeout
            )
        return self.transport

    def _send(self, method: str, path: str, remaining: float, **kwargs: Any) -> Response:
        if kwargs.get("further_page"):
            if self.pages_sent >= self.policy.max_pages:
                raise ManagementError(
                    f"Idura management API GET {path.split('?')[0]}: the collection did not end within "
                    f"{self.policy.max_pages} further pages (the most one run reads); refused"
                )
            self.pages_sent += 1
        elif self.requests_sent >= self.policy.max_requests:
            raise ManagementError(
                f"Idura management API: the budget of {self.policy.max_requests} requests per run is spent"
            )
        else:
            self.requests_sent += 1
        url = urlsplit(self.base_url).path.rstrip("/") + path
        if kwargs.get("params"):
            url += "?" + urlencode(kwargs["params"])
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/json",
            "User-Agent": "idura-cognito",
        }
        body = None
        if "json" in kwargs:
            body = json.dumps(kwargs["json"]).encode("utf-8")
            headers["Content-Type"] = kwargs.get("media_type") or "application/json"
        with _wall_clock_limit(remaining):
            return self._transport().send(method, url, headers, body)

    def _call(
        self, method: str, path: str, *, retry: bool, deadline_at: float | None = None, **kwargs: Any
    ) -> Response:
        """One call, retried per the policy until ``deadline_at`` (the clock's time; default: the policy's deadline
        from now). A find passes one deadline for all the pages it reads."""
        started = self.clock()
        deadline_at = started + self.policy.deadline if deadline_at is None else deadline_at
        what = f"{method} {path.split('?')[0] or '/'}"  # "" is the API root
        for attempt in range(self.policy.attempts):
            retry_after: float | None = None
            remaining = deadline_at - self.clock()
            try:
                response = self._send(method, path, remaining, **kwargs)
            except (TimeoutError, _DeadlineExceeded):
                problem = "timed out"
            except AnswerTooLarge:
                # Not retried: the same request gets the same answer. A create's may have done its work.
                raise (ManagementError if retry else Ambiguous)(
                    f"Idura management API {what}: the answer is larger than {MAX_ANSWER // 1024} KiB, the most "
                    "the client reads of one answer (a collection that large must come in pages)"
                ) from None
            except (OSError, http.client.HTTPException) as exc:
                if _is_tls_failure(exc):
                    raise ManagementError(
                        f"TLS verification failed for {self.base_url}: set {environment.CA_BUNDLE} to the CA "
                        "bundle that signed its certificate"
                    ) from None
                problem = f"connection failed ({exc.__class__.__name__})"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    if not retry and response.status_code >= 500:  # a 500 may have done the work
                        raise Ambiguous(f"Idura management API {what}: HTTP {response.status_code}")
                    raise _http_error(what, response)
                problem = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            if not retry and problem != "HTTP 429":  # a 429 was refused before any work: safe to repeat
                raise Ambiguous(f"Idura management API {what}: {problem}")
            delay = self.policy.backoff(attempt, retry_after)
            last = attempt == self.policy.attempts - 1
            if last or self.clock() + delay > deadline_at:
                raise ManagementError(
                    f"Idura management API {what}: {problem} after {attempt + 1} attempt(s) "
                    f"in {self.clock() - started:.1f} s"
                )
            self.sleep(delay)
        raise AssertionError("unreachable")


@contextlib.contextmanager
def _wall_clock_limit(seconds: float):
    """Interrupt the request when ``seconds`` of wall time have passed, however slowly bytes arrive.

    The socket's timeout bounds each read, so a server sending one byte per second never trips it. In the main
    thread (the external program, the CLI) a real-time timer raises inside the blocked read; elsewhere only the
    per-read timeouts apply.
    """
    if seconds <= 0:
        raise _DeadlineExceeded
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise _DeadlineExceeded

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _client_id_taken(realm: str, domain: str) -> ClientIdTaken:
    return ClientIdTaken(
        f"client id {realm!r} is used by another application of the tenant (not on {domain}): Idura requires a "
        "client id unique across the tenant's applications; choose another idura.client_id or remove the other "
        "application in Idura's dashboard"
    )


def _http_error(what: str, response: Response) -> ManagementError:
    try:
        body = response.json()
        code, message = str(body.get("error", "")), str(body.get("message", ""))[:200]
    except (ManagementError, AttributeError):
        code, message = "", ""
    message = _one_clean_line(message)
    status = response.status_code
    hint = {
        401: f"the token in {environment.MANAGEMENT_TOKEN} was refused",
        403: f"the token in {environment.MANAGEMENT_TOKEN} may not manage this domain",
    }.get(status, message or _one_clean_line(response.reason_phrase[:100]) or "error")
    text = f"Idura management API {what}: HTTP {status}: {hint}"
    if status == 409:
        return SecretChanged(text) if code == "secret_changed" else Conflict(text, code)
    return NotFound(text) if status == 404 else ManagementError(text)


def _one_clean_line(text: str) -> str:
    """Server text as one line without control or invisible characters (it reaches a terminal)."""
    return " ".join(re.sub(f"[{FORBIDDEN_CHARACTERS}]", " ", text).split())


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None  # unparseable: fall back to our own backoff
        seconds = parsed.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _seconds_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > 3600:
        raise ManagementError(f"{name} must be a number of seconds between 0 and 3600 (exclusive of 0)")
    return value
