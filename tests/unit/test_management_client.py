"""The management client's retry policy and create safety, with a scripted server (httpx.MockTransport).

The same behaviour is exercised against the real emulator with injected faults in the integration tests;
here each rule is pinned precisely and fast (no real waiting: the client's sleep is injected).
"""

from __future__ import annotations

import json

import httpx
import pytest

from idura_verify.program.management import (
    DuplicateApplications,
    ManagementClient,
    ManagementError,
    Response,
    RetryPolicy,
    SecretChanged,
    Transport,
)

APP = {
    "id": "app_1",
    "realm": "urn:x",
    "name": "X",
    "returnUrls": [],
    "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson", "clientSecretId": None},
}


#: The discovery documents of a server whose domain d.io has its applications at the usual path.
ROOT = {
    "links": [],
    "linkTemplates": [
        {"rel": "easyid:tenant-domains", "href": "https://idura.test/management/v1/tenants/{tenantId}/domains"}
    ],
}
DOMAINS = {
    "domains": [
        {
            "name": "d.io",
            "links": [
                {"rel": "easyid:applications", "href": "https://idura.test/management/v1/domains/d.io/applications"}
            ],
        }
    ]
}


class Scripted(Transport):
    """The client's transport answered from a script: httpx's request and response types describe the exchange
    (readable in the tests); the client itself uses only the standard library. The two discovery reads (API
    root, the tenant's domains) are answered from ROOT and DOMAINS and kept apart in ``discovered``."""

    def __init__(self, script, calls: list, discovered: list | None = None) -> None:
        self.script, self.calls = script, calls
        self.discovered = discovered if discovered is not None else []

    def send(self, method, url, headers, body):
        request = httpx.Request(method, "https://idura.test" + url, headers=headers, content=body)
        if url == "/management/v1" or url.startswith("/management/v1/tenants/"):
            self.discovered.append(request)
            document = ROOT if url == "/management/v1" else DOMAINS
            return Response(200, {"content-type": "application/json"}, json.dumps(document).encode(), "OK")
        self.calls.append(request)
        step = self.script.pop(0)
        answer = step(request) if callable(step) else step
        answer.read()
        return Response(
            answer.status_code,
            {name.lower(): value for name, value in answer.headers.items()},
            answer.content,
            answer.reason_phrase,
        )


def client(script, policy: RetryPolicy | None = None):
    """A client whose server answers from ``script`` (a list of callables or responses) in order."""
    calls: list[httpx.Request] = []
    sleeps: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a fake clock: waiting takes no real time
        sleeps.append(seconds)
        now[0] += seconds

    c = ManagementClient(
        "https://idura.test/management/v1",
        "TOKEN-abc",
        "acme",
        policy=policy or RetryPolicy(),
        transport=Scripted(script, calls),
        sleep=sleep,
        clock=lambda: now[0],
    )
    return c, calls, sleeps


def found(*apps):
    return httpx.Response(200, json={"applications": list(apps)})


def reset(request):
    raise ConnectionResetError("peer closed connection")


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_statuses_are_retried_then_succeed(status):
    c, calls, sleeps = client([httpx.Response(status), httpx.Response(status), found(APP)])
    assert c.find("d.io", "urn:x").id == "app_1"
    assert len(calls) == 3 and len(sleeps) == 2
    assert all(0 <= s <= 4.0 for s in sleeps)


def test_retry_after_is_honoured_and_capped():
    c, _, sleeps = client(
        [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(429, headers={"Retry-After": "120"}),
            found(),
        ]
    )
    assert c.find("d.io", "urn:x") is None
    assert sleeps == [3.0, 10.0]


def test_connection_errors_are_retried():
    c, calls, _ = client([reset, found(APP)])
    assert c.find("d.io", "urn:x") is not None
    assert len(calls) == 2


def test_gives_up_after_four_attempts_with_one_line():
    c, calls, _ = client([httpx.Response(503)] * 4)
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    assert len(calls) == 4
    assert str(caught.value).startswith(
        "Idura management API GET /domains/d.io/applications: HTTP 503 after 4 attempt(s)"
    )


def test_deadline_bounds_the_total_time():
    c, calls, _ = client([httpx.Response(429, headers={"Retry-After": "8"})] * 4, RetryPolicy(deadline=10))
    with pytest.raises(ManagementError):
        c.find("d.io", "urn:x")
    assert len(calls) == 2  # the second 8 s wait would pass the 10 s deadline


@pytest.mark.parametrize("status", [400, 401, 403, 500])
def test_other_errors_are_not_retried(status):
    c, calls, _ = client([httpx.Response(status, json={"message": "nope\nsecond line"})])
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    assert len(calls) == 1
    assert "\n" not in str(caught.value)


def test_refused_token_names_the_variable_not_the_token():
    c, _, _ = client([httpx.Response(401)])
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    assert "IDURA_MANAGEMENT_TOKEN was refused" in str(caught.value)
    assert "TOKEN-abc" not in str(caught.value)


def test_discovery_then_the_collection_filtered_here_with_the_bearer_token():
    other = {**APP, "id": "app_2", "realm": "urn:other"}
    discovered: list = []
    c = ManagementClient(
        "https://idura.test/management/v1",
        "TOKEN-abc",
        "acme",
        transport=Scripted([found(other, APP)] * 2, [], discovered),
    )
    assert c.find("d.io", "urn:x").id == "app_1"  # the server sent both: the client picks the realm
    assert [r.url.raw_path for r in discovered] == [
        b"/management/v1",
        # {tenantId}: base64 of urn:grn:easyid:tenant:acme, percent-encoded
        b"/management/v1/tenants/dXJuOmdybjplYXN5aWQ6dGVuYW50OmFjbWU%3D/domains",
    ]
    assert all(r.headers["authorization"] == "Bearer TOKEN-abc" for r in discovered)
    c.find("d.io", "urn:x")
    assert len(discovered) == 2  # once per client


def test_a_create_is_posted_with_the_vendor_media_type_and_the_evidence_s_fields():
    c, calls, _ = client([httpx.Response(201, json=APP)])
    c.create("d.io", realm="urn:x", name="X", return_urls=["https://h.example/oauth2/idpresponse"])
    assert calls[0].headers["content-type"] == "application/vnd.grn.easyid.application+json"
    assert json.loads(calls[0].content) == {
        "realm": "urn:x",
        "name": "X",
        "returnUrls": ["https://h.example/oauth2/idpresponse"],
        "tags": ["idura-cognito"],
        "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson"},
    }


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("https://evil.example/management/v1/domains/d.io/applications", "another host"),
        ("http://idura.test/management/v1/domains/d.io/applications", "another host"),
        ("https://idura.test/other/domains/d.io/applications", "outside"),
        ("https://idura.test/management/v1/../admin", "outside"),
        ("/management/v1/./x", "outside"),
        # What a server or proxy may decode into a dot segment or a slash after the check: refused as such.
        ("/management/v1/%2e%2e/admin", "characters"),
        ("/management/v1/.%2E/x", "characters"),
        ("/management/v1/..%2fadmin", "characters"),
        ("/management/v1/..\\..\\admin", "characters"),
        ("/management/v1/..;/x", "characters"),
        ("/management/v1/\u00e9", "characters"),
        ("/management/v1/a b", "characters"),
        ("/management/v1/\x1b[31m", "characters"),
    ],
)
def test_a_link_off_the_management_url_is_never_followed_with_the_token(href, problem):
    domains = {"domains": [{"name": "d.io", "links": [{"rel": "easyid:applications", "href": href}]}]}

    class Elsewhere(Scripted):
        def send(self, method, url, headers, body):
            if url.startswith("/management/v1/tenants/"):
                return Response(200, {}, json.dumps(domains).encode(), "OK")
            return super().send(method, url, headers, body)

    calls: list = []
    c = ManagementClient("https://idura.test/management/v1", "T", "acme", transport=Elsewhere([found(APP)], calls))
    with pytest.raises(ManagementError, match=problem):
        c.find("d.io", "urn:x")
    assert calls == []


def test_a_domain_the_tenant_does_not_hold_is_named():
    c, _, _ = client([])
    with pytest.raises(ManagementError) as caught:
        c.find("other.io", "urn:x")
    assert str(caught.value) == (
        "Idura management API discovery: other.io is not a domain of tenant 'acme' (check idura.domain and the "
        "tenant id)"
    )


def test_create_conflict_means_exists_and_was_not_created_by_us():
    c, calls, _ = client([httpx.Response(409, json={"error": "conflict"}), found(APP)])
    app, created = c.create("d.io", realm="urn:x", name="X", return_urls=[])
    assert app.id == "app_1" and created is False
    assert [r.method for r in calls] == ["POST", "GET"]


def test_a_create_that_succeeds_reports_it_created():
    c, _, _ = client([httpx.Response(201, json=APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=[]) == (_app(), True)


def _app():
    from idura_verify.program.management import Application

    return Application.from_json(APP)


@pytest.mark.parametrize("failure", [reset, httpx.Response(502), httpx.Response(500)])
def test_ambiguous_create_is_followed_by_a_find_not_a_second_create(failure):
    c, calls, _ = client([failure, found(APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=[]) == (_app(), False)
    assert [r.method for r in calls] == ["POST", "GET"]


def test_ambiguous_create_that_did_not_happen_is_sent_once_more():
    c, calls, _ = client([reset, found(), httpx.Response(201, json=APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=["https://a.io/cb"]) == (_app(), True)
    assert [r.method for r in calls] == ["POST", "GET", "POST"]
    assert json.loads(calls[2].content)["oauth2"] == {"codeFlow": True, "userInfoResponseStrategy": "plainJson"}


def test_a_create_refused_with_429_waits_retry_after_and_is_sent_again():
    # A 429 is refused before any work: safe to repeat, after the wait the server asked for.
    c, calls, sleeps = client([httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(201, json=APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=[]) == (_app(), True)
    assert [r.method for r in calls] == ["POST", "POST"] and sleeps == [2.0]


def test_two_applications_for_one_client_id_are_refused_with_the_fix():
    c, _, _ = client([found(APP, {**APP, "id": "app_2"})])
    with pytest.raises(DuplicateApplications, match="Idura holds 2 applications for client id 'urn:x' on d.io"):
        c.find("d.io", "urn:x")


def test_issue_secret_replaces_the_secret_the_caller_saw():
    c, calls, _ = client([httpx.Response(200, json={"clientSecret": "s3", "clientSecretId": "sec_2"})])
    assert c.issue_secret("d.io", "app_1", replaces="sec_1") == ("s3", "sec_2")
    assert calls[0].url.path.endswith("/applications/app_1/client-secret")
    assert json.loads(calls[0].content) == {"replaces": "sec_1"}


def test_rotate_rereads_and_replaces_again_when_the_secret_changed_in_between():
    changed = httpx.Response(409, json={"error": "secret_changed"})
    current = httpx.Response(200, json={**APP, "oauth2": {**APP["oauth2"], "clientSecretId": "sec_late"}})
    issued = httpx.Response(200, json={"clientSecret": "s4", "clientSecretId": "sec_3"})
    c, calls, _ = client([changed, current, issued])
    assert c.rotate_secret("d.io", _app()) == ("s4", "sec_3")
    assert [json.loads(r.content)["replaces"] if r.method == "POST" else "GET" for r in calls] == [
        None,
        "GET",
        "sec_late",
    ]


def test_rotate_gives_up_after_three_changes_with_one_line():
    changed = httpx.Response(409, json={"error": "secret_changed"})
    c, _, _ = client([changed, httpx.Response(200, json=APP)] * 3)
    with pytest.raises(ManagementError, match="changed 3 times while this run replaced it"):
        c.rotate_secret("d.io", _app())


def test_secret_changed_is_its_own_error_type():
    c, _, _ = client([httpx.Response(409, json={"error": "secret_changed"})])
    with pytest.raises(SecretChanged):
        c.issue_secret("d.io", "app_1", replaces=None)


def test_the_request_budget_is_a_hard_cap():
    c, calls, _ = client([httpx.Response(503)] * 20, RetryPolicy(max_requests=8))
    for _ in range(2):
        with pytest.raises(ManagementError):
            c.find("d.io", "urn:x")
    assert len(calls) == 6 and c.requests_sent == 8  # the two discovery reads count too
    with pytest.raises(ManagementError, match="the budget of 8 requests per run is spent"):
        c.find("d.io", "urn:x")


def test_server_messages_are_cut_to_one_clean_line():
    message = "bad\x1b[31m value\n" + "x" * 400
    c, _, _ = client([httpx.Response(400, json={"message": message})])
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    text = str(caught.value)
    assert "\x1b" not in text and "\n" not in text and len(text) < 300


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "abc", "1e9"])
def test_timeouts_must_be_finite_positive_seconds(monkeypatch, value):
    monkeypatch.setenv("IDURA_MANAGEMENT_TIMEOUT", value)
    with pytest.raises(ManagementError, match="^IDURA_MANAGEMENT_TIMEOUT must be a number of seconds between"):
        RetryPolicy.from_environment()


def test_a_ca_bundle_adds_to_the_default_trust_store(tmp_path):
    import trustme

    from idura_verify.program.management import trust_store

    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    default = trust_store(None).cert_store_stats()["x509_ca"]
    assert trust_store(str(bundle)).cert_store_stats()["x509_ca"] == default + 1 and default > 10


@pytest.mark.parametrize(
    "url",
    [
        "http://idura.test",
        "https://user:pw@idura.test/m",
        "https://idura.test/m?x=1",
        "https://idura.test/m#f",
        "https://169.254.169.254/latest",
        "https://metadata.google.internal/",
        "https://10.0.0.5/m",
    ],
)
def test_management_url_is_https_on_a_name_without_credentials_query_or_fragment(monkeypatch, url):
    monkeypatch.setenv("IDURA_MANAGEMENT_URL", url)
    monkeypatch.setenv("IDURA_MANAGEMENT_TOKEN", "t")
    with pytest.raises(ManagementError, match="^IDURA_MANAGEMENT_URL: "):
        ManagementClient.from_environment()


def test_from_environment_requires_url_and_token(monkeypatch):
    monkeypatch.delenv("IDURA_MANAGEMENT_URL", raising=False)
    with pytest.raises(ManagementError, match="IDURA_MANAGEMENT_URL is not set"):
        ManagementClient.from_environment()
    monkeypatch.setenv("IDURA_MANAGEMENT_URL", "https://idura.test")
    monkeypatch.delenv("IDURA_MANAGEMENT_TOKEN", raising=False)
    with pytest.raises(ManagementError, match="IDURA_MANAGEMENT_TOKEN is not set"):
        ManagementClient.from_environment()


def test_the_deadline_holds_against_a_server_that_trickles_bytes():
    """Each byte arrives well within the read timeout, so only a wall-clock deadline stops the call."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def trickle():
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            try:
                connection.sendall(b" ")
            except OSError:
                break
            time.sleep(0.05)
        connection.close()

    threading.Thread(target=trickle, daemon=True).start()
    policy = RetryPolicy(attempts=1, read_timeout=0.5, deadline=1.5)
    c = ManagementClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "t", policy=policy)
    started = time.monotonic()
    try:
        with pytest.raises(ManagementError, match="timed out after 1 attempt"):
            c.find("d.io", "urn:x")
    finally:
        stop.set()
        listener.close()
    assert 1.4 <= time.monotonic() - started < 3.0


@pytest.mark.parametrize(
    "answer",
    [
        {"applications": [{**APP, "returnUrls": "https://h.example/oauth2/idpresponse"}]},  # a string, not a list
        {"applications": [{**APP, "id": ".."}]},
        {"applications": [{**APP, "id": 7}]},
        {"applications": [{**APP, "oauth2": ["codeFlow"]}]},
        {"applications": [{k: v for k, v in APP.items() if k != "id"}]},
    ],
)
def test_an_application_in_an_unexpected_form_is_one_error_and_never_patched(answer):
    c, calls, _ = client([httpx.Response(200, json=answer)])
    with pytest.raises(ManagementError, match="an application in an unexpected form"):
        c.find("d.io", APP["realm"])
    assert [request.method for request in calls] == ["GET"]


def test_an_answer_that_is_not_json_is_a_management_error():
    c, _, _ = client([httpx.Response(200, content=b"\xff<html>")])
    with pytest.raises(ManagementError, match="an answer was not JSON"):
        c.find("d.io", "urn:x")


def test_a_dot_segment_is_never_an_application_id():
    c, calls, _ = client([])
    with pytest.raises(ManagementError, match="is not an application id"):
        c.delete("d.io", "..")
    assert calls == []


@pytest.mark.parametrize("token", ["abc\ndef", "Bearer abc", "tok en", "t\u00f6ken"])
def test_a_token_with_characters_a_bearer_token_cannot_hold_is_refused_without_showing_it(monkeypatch, token):
    monkeypatch.setenv("IDURA_MANAGEMENT_URL", "https://idura.test/management/v1")
    monkeypatch.setenv("IDURA_MANAGEMENT_TOKEN", token)
    monkeypatch.setenv("IDURA_MANAGEMENT_TENANT", "acme")
    with pytest.raises(ManagementError) as caught:
        ManagementClient.from_environment()
    assert "holds characters a bearer token cannot" in str(caught.value) and token not in str(caught.value)


# -- paging (our proposal: a `next` link on each page but the last) ---------------------------------------------

COLLECTION = "https://idura.test/management/v1/domains/d.io/applications"


def page(*apps, after=None):
    """A collection page; with ``after``, its next link (the server's cursor, never built by the client)."""
    links = [{"rel": "next", "href": f"{COLLECTION}?limit=2&after={after}"}] if after is not None else []
    return httpx.Response(200, json={"applications": list(apps), "links": links})


def other(n):
    return {**APP, "id": f"app_o{n}", "realm": f"urn:other:{n}"}


def test_a_find_follows_next_links_and_stops_at_the_page_that_holds_the_realm():
    script = [page(other(1), other(2), after=2), page(other(3), APP, after=4), page(other(5))]
    c, calls, _ = client(script)
    assert c.find("d.io", "urn:x").id == "app_1"
    assert [r.url.raw_path for r in calls] == [
        b"/management/v1/domains/d.io/applications",
        b"/management/v1/domains/d.io/applications?limit=2&after=2",  # as the link said, query and all
    ]
    assert len(script) == 1  # the third page was never asked for
    assert c.requests_sent == 3 and c.pages_sent == 1  # discovery and the first page; the further page apart


def test_a_find_reads_to_the_last_page_for_a_realm_that_is_not_there():
    c, calls, _ = client([page(other(1), after=1), page(other(2), after=2), page(other(3))])
    assert c.find("d.io", "urn:x") is None
    assert len(calls) == 3


def test_a_page_is_retried_on_its_own():
    c, calls, sleeps = client([page(other(1), after=1), httpx.Response(503), page(APP)])
    assert c.find("d.io", "urn:x").id == "app_1"
    assert len(calls) == 3 and len(sleeps) == 1


def test_one_deadline_bounds_every_page_of_a_find():
    """Each page takes 4 s of the fake clock: with a 10 s deadline per page each would pass, but the fourth page
    (which holds the realm) would start past the find's one deadline."""
    now = [0.0]

    def slow(response):
        def answer(request):
            now[0] += 4.0
            return response

        return answer

    script = [slow(page(other(1), after=1)), slow(page(other(2), after=2)), slow(page(other(3), after=3))]
    calls: list = []
    c = ManagementClient(
        "https://idura.test/management/v1",
        "T",
        "acme",
        policy=RetryPolicy(deadline=10),
        transport=Scripted(script + [page(APP)], calls),
        sleep=lambda s: None,
        clock=lambda: now[0],
    )
    with pytest.raises(ManagementError, match="timed out after 1 attempt"):
        c.find("d.io", "urn:x")
    assert len(calls) == 3


def test_a_next_link_that_repeats_a_page_is_refused_in_one_line():
    c, calls, _ = client([page(other(1), after=1), page(other(2), after=2), page(other(3), after=1)])
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    assert str(caught.value) == (
        "Idura management API GET /domains/d.io/applications: page 3's next link leads back to an earlier page "
        "(the pages loop); refused"
    )
    assert len(calls) == 3


def test_a_next_link_back_to_the_first_page_is_a_loop_too():
    first = httpx.Response(200, json={"applications": [], "links": [{"rel": "next", "href": COLLECTION}]})
    c, calls, _ = client([first])
    with pytest.raises(ManagementError, match="page 1's next link leads back to an earlier page"):
        c.find("d.io", "urn:x")


def test_pages_that_never_end_are_refused_at_the_page_budget():
    endless = [page(other(n), after=n) for n in range(1, 20)]
    c, calls, _ = client(endless, RetryPolicy(max_pages=5))
    with pytest.raises(ManagementError) as caught:
        c.find("d.io", "urn:x")
    assert str(caught.value) == (
        "Idura management API GET /domains/d.io/applications: the collection did not end within 5 further pages "
        "(the most one run reads); refused"
    )
    assert len(calls) == 6 and c.pages_sent == 5  # the first page and five more, not one request beyond


def test_the_default_page_budget_holds_the_documented_bound():
    from idura_verify.program.management import MAX_PAGES

    endless = [page(other(n), after=n) for n in range(1, MAX_PAGES + 10)]
    c, calls, _ = client(endless)
    with pytest.raises(ManagementError, match=f"did not end within {MAX_PAGES} further pages"):
        c.find("d.io", "urn:x")
    assert len(calls) == 1 + MAX_PAGES


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("https://evil.example/management/v1/domains/d.io/applications?after=1", "another host"),
        ("https://idura.test/elsewhere?after=1", "outside"),
        ("https://idura.test/management/v1/domains/d.io/applications?after=1#top", "query or fragment"),
        ("https://idura.test/management/v1/domains/d.io/applications?after=\u00e9", "query or fragment"),
    ],
)
def test_a_next_link_off_the_management_url_is_never_followed(href, problem):
    first = httpx.Response(200, json={"applications": [], "links": [{"rel": "next", "href": href}]})
    c, calls, _ = client([first, found(APP)])
    with pytest.raises(ManagementError, match=f"the next link of page 1: .*{problem}"):
        c.find("d.io", "urn:x")
    assert len(calls) == 1


def test_duplicates_on_the_page_that_holds_the_realm_are_still_refused():
    c, _, _ = client([page(other(1), after=1), page(APP, {**APP, "id": "app_2"})])
    with pytest.raises(DuplicateApplications, match="Idura holds 2 applications for client id 'urn:x'"):
        c.find("d.io", "urn:x")


def test_a_conflict_with_the_realm_on_another_domain_is_named_without_a_find():
    from idura_verify.program.management import ClientIdTaken

    c, calls, _ = client([httpx.Response(409, json={"error": "realm_taken", "message": "elsewhere"})])
    with pytest.raises(ClientIdTaken, match="^client id 'urn:x' is used by another application of the tenant"):
        c.create("d.io", realm="urn:x", name="X", return_urls=[])
    assert [r.method for r in calls] == ["POST"]


def test_a_plain_conflict_with_nothing_on_the_domain_is_named_the_same_way():
    """A server that does not say realm_taken: the find shows the client id is not on this domain."""
    from idura_verify.program.management import ClientIdTaken

    c, calls, _ = client([httpx.Response(409, json={"error": "conflict"}), found()])
    with pytest.raises(ClientIdTaken, match="not on d.io"):
        c.create("d.io", realm="urn:x", name="X", return_urls=[])
    assert [r.method for r in calls] == ["POST", "GET"]


def _serve_once(body: bytes, headers: bytes):
    """An HTTP server on 127.0.0.1 that answers every connection with ``body``; returns its listening socket and
    the requests it saw."""
    import contextlib
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    seen = []

    def serve():
        listener.settimeout(5)
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            seen.append(1)
            with contextlib.suppress(OSError):  # the client may close as soon as it saw enough
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + headers + b"\r\n" + body)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, seen


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no length"])
def test_an_answer_over_the_size_limit_is_refused_at_once_naming_the_limit(declared):
    from idura_verify.program.management import MAX_ANSWER

    body = b'{"applications": [' + b" " * MAX_ANSWER + b"]}"
    headers = f"Content-Length: {len(body)}\r\n".encode() if declared else b"Connection: close\r\n"
    listener, seen = _serve_once(body, headers)
    c = ManagementClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "t", policy=RetryPolicy(deadline=5))
    c._collections["d.io"] = "/applications"  # a plain HTTP test server: no discovery documents
    try:
        with pytest.raises(ManagementError) as caught:
            c.find("d.io", "urn:x")
    finally:
        listener.close()
    assert str(caught.value) == (
        "Idura management API GET /applications: the answer is larger than 1024 KiB, the most the client reads of "
        "one answer (a collection that large must come in pages)"
    )
    assert len(seen) == 1  # the same request would get the same answer: not retried
