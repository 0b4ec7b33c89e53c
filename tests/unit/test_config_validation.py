"""Every config rule, with the exact one-line message the user sees (file: key: what is wrong and allowed)."""

from __future__ import annotations

import pytest

from idura_cognito.config import ConfigError, parse_config
from tests.support.config import base_config, parsed_config

F = "idura-cognito.toml"


def _set(config: dict, dotted: str, value) -> dict:
    *parents, last = dotted.split(".")
    node = config
    for part in parents:
        node = node.setdefault(part, {})
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return config


_DELETE = object()


def parse(config: dict):

    return parsed_config(config, F)


def error_for(changes: dict) -> str:
    config = base_config()
    for dotted, value in changes.items():
        _set(config, dotted, value)
    with pytest.raises(ConfigError) as caught:
        parse(config)
    return str(caught.value)


S = "stacks.dev"
CASES = [
    ({"stack": {}}, f"{F}: stack: is not a known key; did you mean 'stacks'? allowed here: defaults, stacks"),
    (
        {f"{S}.domian": {}},
        f"{F}: {S}.domian: is not a known key; did you mean 'domain'? allowed here: adopt, app_client, app_clients, aws, backend, domain, escrow, existing_resource_servers, identity_provider, idura, pinned_eids, tags, user_pool",
    ),
    ({f"{S}.user_pool.name": 5}, f"{F}: {S}.user_pool.name: must be a string, got an integer"),
    ({f"{S}.idura.client_id": _DELETE}, f"{F}: {S}.idura.client_id: is required"),
    ({f"{S}.app_client": "web"}, f"{F}: {S}.app_client: must be a table, got a string"),
    (
        {"stacks.Dev": {}},
        f"{F}: stacks.Dev: 'Dev' is not allowed: use 1-32 lowercase letters, digits and hyphens, starting with a letter",
    ),
    (
        {f"{S}.app_client.callback_urls": "https://a.b/c"},
        f"{F}: {S}.app_client.callback_urls: must be a list of strings, got a string",
    ),
    (
        {f"{S}.user_pool.deletion_protection": "yes"},
        f"{F}: {S}.user_pool.deletion_protection: must be true or false, got a string",
    ),
    (
        {f"{S}.app_client.callback_urls": ["http://app.acme.com/cb"]},
        f"{F}: {S}.app_client.callback_urls: 'http://app.acme.com/cb' is not allowed: use https:// URLs (http:// only for localhost), or a mobile app's reverse-DNS custom scheme such as com.acme.app://callback, without fragment, credentials or spaces",
    ),
    (
        {f"{S}.app_client.logout_urls": ["javascript:alert(1)"]},
        f"{F}: {S}.app_client.logout_urls: 'javascript:alert(1)' is not allowed: use https:// URLs (http:// only for localhost), or a mobile app's reverse-DNS custom scheme such as com.acme.app://callback, without fragment, credentials or spaces",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://app.acme.com/cb#x"]},
        f"{F}: {S}.app_client.callback_urls: 'https://app.acme.com/cb#x' is not allowed: use https:// URLs (http:// only for localhost), or a mobile app's reverse-DNS custom scheme such as com.acme.app://callback, without fragment, credentials or spaces",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://user:pw@app.acme.com/cb"]},
        f"{F}: {S}.app_client.callback_urls: 'https://user:pw@app.acme.com/cb' is not allowed: use https:// URLs (http:// only for localhost), or a mobile app's reverse-DNS custom scheme such as com.acme.app://callback, without fragment, credentials or spaces",
    ),
    (
        {f"{S}.app_client.callback_urls": []},
        f"{F}: {S}.app_client.callback_urls: needs 1-100 URLs (Cognito's limit)",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://a.io/x", "https://a.io/x"]},
        f"{F}: {S}.app_client.callback_urls: lists a value twice",
    ),
    (
        {"defaults.aws.endpoint_url": "ftp://127.0.0.1"},
        f"{F}: {S}.aws.endpoint_url: 'ftp://127.0.0.1' is not allowed: use http://127.0.0.1:PORT or http://localhost:PORT (a local emulator), or an https:// endpoint URL without credentials, query or fragment (value set in [defaults])",
    ),
    (
        {f"{S}.domain.prefix": "Acme"},
        f"{F}: {S}.domain.prefix: 'Acme' is not allowed: use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        {f"{S}.domain.prefix": "acme-"},
        f"{F}: {S}.domain.prefix: 'acme-' is not allowed: use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        {f"{S}.domain.prefix": "acme\n"},
        f"{F}: {S}.domain.prefix: it contains the control or invisible character '\\n', which is never allowed",
    ),
    (
        {f"{S}.domain.prefix": "acme-cognito"},
        f"{F}: {S}.domain.prefix: 'acme-cognito' is not allowed: Cognito refuses prefixes containing aws, amazon or cognito",
    ),
    (
        {"defaults.idura.domain": "https://acme.idura.broker"},
        f"{F}: {S}.idura.domain: 'https://acme.idura.broker' is not allowed: use a lowercase DNS name like acme-corp.idura.broker (no scheme, path, port or IP address), or localhost:PORT / 127.0.0.1:PORT for a local emulator (value set in [defaults])",
    ),
    (
        {f"{S}.idura.domain": "acme.idura.broker/path"},
        f"{F}: {S}.idura.domain: 'acme.idura.broker/path' is not allowed: use a lowercase DNS name like acme-corp.idura.broker (no scheme, path, port or IP address), or localhost:PORT / 127.0.0.1:PORT for a local emulator",
    ),
    ({f"{S}.domain": {"custom": "login.acme.com"}}, f"{F}: {S}.domain: custom and certificate_arn go together"),
    (
        {f"{S}.domain": {"custom": "login..acme.com", "certificate_arn": "x"}},
        f"{F}: {S}.domain.custom: 'login..acme.com' is not allowed: use a lowercase DNS name like login.acme.com",
    ),
    (
        {
            f"{S}.domain": {
                "custom": "login.acme.com",
                "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            }
        },
        f"{F}: {S}.domain.certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certi...' is not allowed: use an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>)",
    ),
    (
        {f"{S}.domain": {"prefix": "acme-a", "existing": "acme-b"}},
        f"{F}: {S}.domain: set exactly one of prefix, custom (with certificate_arn) and existing",
    ),
    (
        {f"{S}.domain.managed_login_version": 3},
        f"{F}: {S}.domain.managed_login_version: must be 1 or 2, got 3",
    ),
    (
        {f"{S}.user_pool.existing_id": "eu-north-1_abc"},
        f"{F}: {S}.user_pool: set exactly one of name (create a pool) and existing_id (use a pool)",
    ),
    (
        {f"{S}.user_pool": {"existing_id": "not a pool"}},
        f"{F}: {S}.user_pool.existing_id: 'not a pool' is not allowed: use a Cognito user pool id like eu-north-1_AbCdEf123",
    ),
    (
        {f"{S}.identity_provider.name": "Idura Login"},
        f"{F}: {S}.identity_provider.name: 'Idura Login' is not allowed: use 3-32 characters without spaces, not starting or ending with an underscore",
    ),
    (
        {f"{S}.identity_provider.name": "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII"},
        f"{F}: {S}.identity_provider.name: 'IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII' is not allowed: use 3-32 characters without spaces, not starting or ending with an underscore",
    ),
    (
        {f"{S}.identity_provider.name": "Google"},
        f"{F}: {S}.identity_provider.name: 'Google' is not allowed: the name is reserved by Cognito for a built-in provider; choose another",
    ),
    (
        {f"{S}.pinned_eids": [{"name": "idura", "acr": "urn:grn:authn:no:bankid"}]},
        f"{F}: {S}.pinned_eids[0].name: 'idura' is already used by identity_provider.name; IdP names must be unique",
    ),
    (
        {
            f"{S}.pinned_eids": [
                {"name": "BankID", "acr": "urn:grn:authn:no:bankid"},
                {"name": "BankID2", "acr": "urn:grn:authn:no:bankid"},
            ]
        },
        f"{F}: {S}.pinned_eids[1].acr: 'urn:grn:authn:no:bankid' is already pinned by pinned_eids[0]",
    ),
    (
        {
            f"{S}.pinned_eids": [
                {"name": "NO-BankID", "acr": "urn:grn:authn:no:bankid"},
                {"name": "NO.BankID", "acr": "urn:grn:authn:se:bankid"},
            ]
        },
        f"{F}: {S}.pinned_eids[1].name: 'NO.BankID' differs from 'NO-BankID' only in punctuation",
    ),
    ({f"{S}.pinned_eids": [{"name": "MitID"}]}, f"{F}: {S}.pinned_eids[0].acr: is required"),
    (
        {f"{S}.pinned_eids": {"name": "MitID"}},
        f"{F}: {S}.pinned_eids: must be an array of tables ([[{S}.pinned_eids]]), got a table",
    ),
    (
        {f"{S}.identity_provider.scopes": ["profile"]},
        f"{F}: {S}.identity_provider.scopes: must include 'openid' (Cognito's OIDC federation needs it)",
    ),
    (
        {f"{S}.identity_provider.attributes": {"emial": "email"}},
        f"{F}: {S}.identity_provider.attributes.emial: 'emial' is not allowed: use a standard user pool attribute (name, given_name, birthdate, ...) or custom:<1-20 letters, digits, underscores>",
    ),
    (
        {f"{S}.identity_provider.attributes": {"name": "full name"}},
        f"{F}: {S}.identity_provider.attributes.name: 'full name' is not allowed: use a claim name of 1-128 visible ASCII characters",
    ),
    (
        {f"{S}.app_client.oauth_scopes": ["openid", "admin"]},
        f"{F}: {S}.app_client.oauth_scopes: 'admin' is not allowed: use openid, email, phone, profile, aws.cognito.signin.user.admin or a resource-server scope 'server/scope'",
    ),
    (
        {f"{S}.app_client.oauth_scopes": ["profile"]},
        f"{F}: {S}.app_client.oauth_scopes: must include 'openid' to receive an id token",
    ),
    (
        {"defaults.aws.region": "north"},
        f"{F}: {S}.aws.region: 'north' is not allowed: use an AWS region name like eu-north-1 (value set in [defaults])",
    ),
    (
        {f"{S}.idura.secret_source": "automatic"},
        f"{F}: {S}.idura.secret_source: 'automatic' is not allowed: use 'hand-registered' or 'managed'",
    ),
    (
        {f"{S}.idura.client_id": "urn:idura:\tx"},
        f"{F}: {S}.idura.client_id: it contains the control or invisible character '\\t', which is never allowed",
    ),
    (
        {f"{S}.backend": {"type": "gcs"}},
        f"{F}: {S}.backend.type: 'gcs' is not allowed: use 'local', 's3' or 'cloud'",
    ),
    (
        {f"{S}.backend": {"type": "s3", "key": "k", "region": "eu-north-1"}},
        f"{F}: {S}.backend.bucket: is required",
    ),
    (
        {f"{S}.backend": {"type": "local", "bucket": "b"}},
        f"{F}: {S}.backend.bucket: is not a known key; allowed here: path, type",
    ),
    (
        {f"{S}.pinned_eids": [{"name": "MitID", "acr": "mitid:substantial"}]},
        f"{F}: {S}.pinned_eids[0].acr: 'mitid:substantial' is not allowed: use an acr value of the urn: form, e.g. urn:grn:authn:dk:mitid:substantial",
    ),
    (
        {f"{S}.idura.client_id": "urn:idura:acme dev"},
        f"{F}: {S}.idura.client_id: 'urn:idura:acme dev' is not allowed: use 1-255 visible ASCII characters (no spaces), e.g. urn:idura:acme:cognito:prod",
    ),
    (
        {f"{S}.idura.application_name": "Acme\nlogin"},
        f"{F}: {S}.idura.application_name: it contains the control or invisible character '\\n', which is never allowed",
    ),
    (
        {f"{S}.idura.application_name": "Acme \u202elogin"},
        f"{F}: {S}.idura.application_name: it contains the control or invisible character '\\u202e', which is never allowed",
    ),
    (  # a bidirectional isolate (U+2066-2069) and the Arabic letter mark reorder what a reviewer reads
        {f"{S}.idura.application_name": "Acme \u2067login"},
        f"{F}: {S}.idura.application_name: it contains the control or invisible character '\\u2067', which is never allowed",
    ),
    (
        {f"{S}.tags": {"team": "id\u061centity"}},
        f"{F}: {S}.tags.team: it contains the control or invisible character '\\u061c', which is never allowed",
    ),
    (
        {f"{S}.app_client.name": "web\x00"},
        f"{F}: {S}.app_client.name: it contains the control or invisible character '\\x00', which is never allowed",
    ),
    (
        {f"{S}.aws.endpoint_url": "http://moto.internal:5000"},
        f"{F}: {S}.aws.endpoint_url: 'http://moto.internal:5000' is not allowed: use http://127.0.0.1:PORT or http://localhost:PORT (a local emulator), or an https:// endpoint URL without credentials, query or fragment",
    ),
    (
        {f"{S}.aws.endpoint_url": "https://user@aws.example.com"},
        f"{F}: {S}.aws.endpoint_url: 'https://user@aws.example.com' is not allowed: use http://127.0.0.1:PORT or http://localhost:PORT (a local emulator), or an https:// endpoint URL without credentials, query or fragment",
    ),
    (
        {f"{S}.idura.domain": "169.254.169.254"},
        f"{F}: {S}.idura.domain: '169.254.169.254' is not allowed: use a lowercase DNS name like acme-corp.idura.broker (no scheme, path, port or IP address), or localhost:PORT / 127.0.0.1:PORT for a local emulator",
    ),
    (
        {f"{S}.idura.domain": "metadata.google.internal"},
        f"{F}: {S}.idura.domain: 'metadata.google.internal' is not allowed: it is a cloud metadata service, not an Idura domain",
    ),
    (
        {f"{S}.idura.domain": "[::1]:8443"},
        f"{F}: {S}.idura.domain: '[::1]:8443' is not allowed: use a lowercase DNS name like acme-corp.idura.broker (no scheme, path, port or IP address), or localhost:PORT / 127.0.0.1:PORT for a local emulator",
    ),
    (
        {f"{S}.identity_provider.login_hint_eids": ["MitID"]},
        f"{F}: {S}.identity_provider.login_hint_eids: 'MitID' is not allowed: use an acr value of the urn: form, e.g. urn:grn:authn:dk:mitid:substantial",
    ),
    (
        {f"{S}.identity_provider.login_hint_eids": ["urn:grn:authn:no:bankid", "urn:grn:authn:no:bankid"]},
        f"{F}: {S}.identity_provider.login_hint_eids: lists a value twice",
    ),
    (
        {f"{S}.idura.application_name": "x" * 5000},
        f"{F}: {S}.idura.application_name: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not allowed: use 1-100 characters without control characters, not starting or ending with a space",
    ),
]


@pytest.mark.parametrize(("changes", "message"), CASES, ids=[c[1].split(": ")[1][:40] for c in CASES])
def test_bad_config_is_reported_with_key_and_what_is_allowed(changes, message):
    assert error_for(changes) == message


def test_no_stacks_is_an_error():
    with pytest.raises(ConfigError, match="stacks: defines no environment; add a \\[stacks.<name>\\] table"):
        parse_config("[stacks]\n", F)


def test_invalid_toml_names_the_file():
    with pytest.raises(ConfigError, match=r"^idura-cognito.toml: file: is not valid TOML \("):
        parse_config("[stacks\n", F)


def test_valid_config_fills_documented_defaults():
    stack = parse(base_config()).stacks["dev"]
    assert stack.identity_provider.name == "Idura"
    assert stack.identity_provider.scopes == ("openid",)
    assert stack.identity_provider.attributes == {"username": "sub"}
    assert stack.domain.managed_login_version == 1
    assert stack.app_client.oauth_scopes == ("openid",)
    assert stack.app_client.name == "idura-cognito"
    assert stack.idura.application_name == "AWS Cognito (dev)"
    assert stack.idura.secret_source == "hand-registered"
    assert stack.backend.type == "local"
    assert stack.redirect_url == "https://acme-dev-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"


def test_stack_values_win_over_defaults_key_by_key():
    config = base_config()
    config["defaults"]["identity_provider"] = {"name": "Idura", "scopes": ["openid", "profile"]}
    config["stacks"]["dev"]["identity_provider"] = {"name": "eID"}
    stack = parse(config).stacks["dev"]
    assert stack.identity_provider.name == "eID"
    assert stack.identity_provider.scopes == ("openid", "profile")


def test_localhost_callbacks_and_emulator_domains_are_allowed():
    config = base_config()
    config["stacks"]["dev"]["app_client"]["callback_urls"] = ["http://localhost:3000/cb", "http://127.0.0.1/cb"]
    config["stacks"]["dev"]["idura"]["domain"] = "localhost:8443"
    stack = parse(config).stacks["dev"]
    assert stack.idura.issuer == "https://localhost:8443"


def test_custom_attribute_mapping_is_kept():
    config = base_config()
    config["stacks"]["dev"]["identity_provider"] = {"attributes": {"custom:ssn": "ssn", "name": "name"}}
    stack = parse(config).stacks["dev"]
    assert stack.identity_provider.attributes == {"username": "sub", "custom:ssn": "ssn", "name": "name"}
    assert stack.custom_attributes == ("ssn",)


def test_existing_domain_host_and_prefix():
    config = base_config()
    config["stacks"]["dev"]["user_pool"] = {"existing_id": "eu-north-1_abcDEF123"}
    config["stacks"]["dev"]["domain"] = {"existing": "login.acme.com"}
    assert parse(config).stacks["dev"].cognito_host == "login.acme.com"
    config["stacks"]["dev"]["domain"] = {"existing": "acme-old"}
    assert parse(config).stacks["dev"].cognito_host == "acme-old.auth.eu-north-1.amazoncognito.com"


def test_an_undocumented_acr_value_is_accepted_with_a_warning_naming_it():
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [
        {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"},
        {"name": "Typo", "acr": "urn:grn:authn:dk:mitid:substantail"},
        {"name": "Vipps", "acr": "urn:grn:authn:no:vipps"},
    ]
    project = parse(config)
    assert project.warnings == (
        f"{F}: {S}.pinned_eids[1].acr: 'urn:grn:authn:dk:mitid:substantail' is not an acr value Idura documents "
        "(a typo fails only in production): check it against https://docs.idura.app/verify/e-ids/ and the "
        "README's acr table",
    )


def test_two_managed_stacks_of_one_application_are_refused_hand_registered_may_share():
    config = base_config()
    dev = config["stacks"]["dev"]
    config["stacks"]["prod"] = {**dev, "user_pool": {"name": "acme-prod"}, "domain": {"prefix": "acme-prod"}}
    parse(config)  # hand-registered stacks only read the escrow: sharing an application is fine
    config["defaults"]["idura"]["secret_source"] = "managed"
    with pytest.raises(ConfigError) as caught:
        parse(config)
    assert str(caught.value) == (
        f"{F}: stacks.prod.idura.client_id: stack 'dev' already manages client id 'urn:idura:acme:dev' on "
        "acme-corp.test.idura.broker; two managed stacks would both own its escrow and rotate each other's "
        "secret: give each its own client id"
    )


def test_a_refused_value_is_echoed_only_as_a_short_prefix():
    message = error_for({f"{S}.idura.client_id": "urn:" + "a" * 300 + " x"})
    assert "a" * 41 not in message and "...'" in message


def test_default_redirect_uri_must_be_one_of_the_callback_urls():
    config = base_config()
    stack = next(iter(config["stacks"].values()))
    urls = stack.setdefault("app_client", {}).setdefault("callback_urls", ["https://app.acme.com/callback"])
    stack["app_client"]["default_redirect_uri"] = urls[0]
    name = next(iter(config["stacks"]))
    assert parsed_config(config).stack(name).app_client.default_redirect_uri == urls[0]
    stack["app_client"]["default_redirect_uri"] = "https://elsewhere.example/cb"
    with pytest.raises(ConfigError) as error:
        parsed_config(config)
    assert f"stacks.{name}.app_client.default_redirect_uri" in str(error.value)
    assert "must be one of callback_urls" in str(error.value)
