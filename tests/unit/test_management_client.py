"""The management client's retry policy and create safety, with a scripted server (httpx.MockTransport).

The same behaviour is exercised against the real emulator with injected faults in the integration tests;
here each rule is pinned precisely and fast (no real waiting: the client's sleep is injected).
"""

from __future__ import annotations

import json

import httpx
import pytest

from idura_verify.management import ManagementClient, ManagementError, RetryPolicy

APP = {
    "id": "app_1",
    "realm": "urn:x",
    "name": "X",
    "returnUrls": [],
    "oauth2": {"codeFlow": True, "userInfoResponseStrategy": "plainJson", "clientSecretId": None},
}


def client(script, policy: RetryPolicy | None = None):
    """A client whose server answers from ``script`` (a list of callables or responses) in order."""
    calls: list[httpx.Request] = []
    sleeps: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a fake clock: waiting takes no real time
        sleeps.append(seconds)
        now[0] += seconds

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        step = script.pop(0)
        return step(request) if callable(step) else step

    c = ManagementClient(
        "https://idura.test/management/v1",
        "TOKEN-abc",
        policy=policy or RetryPolicy(),
        transport=httpx.MockTransport(handle),
        sleep=sleep,
        clock=lambda: now[0],
    )
    return c, calls, sleeps


def found(*apps):
    return httpx.Response(200, json={"applications": list(apps)})


def reset(request):
    raise httpx.RemoteProtocolError("peer closed connection", request=request)


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


def test_bearer_token_and_realm_query():
    c, calls, _ = client([found(APP)])
    c.find("localhost:8443", "urn:idura:a b")
    assert calls[0].headers["authorization"] == "Bearer TOKEN-abc"
    assert calls[0].url.raw_path.startswith(b"/management/v1/domains/localhost%3A8443/applications?")
    assert calls[0].url.params["realm"] == "urn:idura:a b"


def test_create_conflict_means_exists():
    c, calls, _ = client([httpx.Response(409, json={"error": "conflict"}), found(APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=[]).id == "app_1"
    assert [r.method for r in calls] == ["POST", "GET"]


@pytest.mark.parametrize("failure", [reset, httpx.Response(502), httpx.Response(500)])
def test_ambiguous_create_is_followed_by_a_find_not_a_second_create(failure):
    c, calls, _ = client([failure, found(APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=[]).id == "app_1"
    assert [r.method for r in calls] == ["POST", "GET"]


def test_ambiguous_create_that_did_not_happen_is_sent_once_more():
    c, calls, _ = client([reset, found(), httpx.Response(201, json=APP)])
    assert c.create("d.io", realm="urn:x", name="X", return_urls=["https://a.io/cb"]).id == "app_1"
    assert [r.method for r in calls] == ["POST", "GET", "POST"]
    assert json.loads(calls[2].content)["oauth2"] == {"codeFlow": True, "userInfoResponseStrategy": "plainJson"}


def test_issue_secret_returns_secret_and_id():
    c, calls, _ = client([httpx.Response(200, json={"clientSecret": "s3", "clientSecretId": "sec_1"})])
    assert c.issue_secret("d.io", "app_1") == ("s3", "sec_1")
    assert calls[0].url.path.endswith("/applications/app_1/client-secret")


def test_from_environment_requires_https_url_and_token(monkeypatch):
    monkeypatch.delenv("IDURA_MANAGEMENT_URL", raising=False)
    with pytest.raises(ManagementError, match="IDURA_MANAGEMENT_URL is not set"):
        ManagementClient.from_environment()
    monkeypatch.setenv("IDURA_MANAGEMENT_URL", "http://idura.test")
    with pytest.raises(ManagementError, match="must be an https:// URL"):
        ManagementClient.from_environment()
    monkeypatch.setenv("IDURA_MANAGEMENT_URL", "https://idura.test")
    monkeypatch.delenv("IDURA_MANAGEMENT_TOKEN", raising=False)
    with pytest.raises(ManagementError, match="IDURA_MANAGEMENT_TOKEN is not set"):
        ManagementClient.from_environment()
