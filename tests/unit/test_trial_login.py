"""The trial login's guards (idura_cognito/local/trial_login.py): the secret Cognito holds goes only to the local
emulator, and the linking handler's AWS calls go only to the local Cognito, whatever the shell's environment says
(botocore lets AWS_ENDPOINT_URL_<SERVICE> win over AWS_ENDPOINT_URL, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
turn both off)."""

from __future__ import annotations

import os

from idura_cognito.local import trial_login


def test_provider_urls_must_all_be_the_emulator_s():
    local = {"oidc_issuer": "https://localhost:8443", "authorize_url": "https://localhost:8443/x/oauth2/authorize"}
    assert trial_login._not_local(local, "localhost:8443") is None
    assert trial_login._not_local(
        local | {"token_url": "https://acme.idura.broker/oauth2/token"}, "localhost:8443"
    ) == ("token_url")
    assert trial_login._not_local({"oidc_issuer": "https://acme.idura.broker"}, "localhost:8443") == "oidc_issuer"


def test_the_handler_runs_with_only_the_local_endpoint_and_the_shell_s_environment_comes_back(monkeypatch):
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "https://cognito-idp.eu-north-1.amazonaws.com")
    local = {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:5999",
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://127.0.0.1:5999",
        "IDURA_PROVIDER_NAMES": '["Idura", "MitID"]',
    }
    with trial_login._handler(local) as handler:
        assert callable(handler)
        assert "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS" not in os.environ
        assert os.environ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] == "http://127.0.0.1:5999"
    assert os.environ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] == "true"
    assert os.environ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] == "https://cognito-idp.eu-north-1.amazonaws.com"
