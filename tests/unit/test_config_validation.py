"""Every config rule, with the exact one-line message the user sees (file: key: what is wrong and allowed)."""

from __future__ import annotations

import pytest

from idura_cognito.config import ConfigError, parse_config
from tests.conftest import base_config

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
    import tomli_w

    return parse_config(tomli_w.dumps(config), F)


def error_for(changes: dict) -> str:
    config = base_config()
    for dotted, value in changes.items():
        _set(config, dotted, value)
    with pytest.raises(ConfigError) as caught:
        parse(config)
    return str(caught.value)


S = "stacks.dev"
CASES = [
    # structure and types
    ({"stack": {}}, f"{F}: stack: is not a known key; did you mean 'stacks'? allowed here: defaults, stacks"),
    (
        {f"{S}.domian": {}},
        f"{F}: {S}.domian: is not a known key; did you mean 'domain'? allowed here: "
        "app_client, aws, backend, domain, identity_provider, idura, pinned_eids, user_pool",
    ),
    ({f"{S}.user_pool.name": 5}, f"{F}: {S}.user_pool.name: must be a string, got an integer"),
    ({f"{S}.idura.client_id": _DELETE}, f"{F}: {S}.idura.client_id: is required"),
    ({f"{S}.app_client": "web"}, f"{F}: {S}.app_client: must be a table, got a string"),
    (
        {"stacks.Dev": {}},
        f"{F}: stacks.Dev: stack names use 1-32 lowercase letters, digits and hyphens, starting with a letter",
    ),
    (
        {f"{S}.app_client.callback_urls": "https://a.b/c"},
        f"{F}: {S}.app_client.callback_urls: must be a list of strings, got a string",
    ),
    (
        {f"{S}.user_pool.deletion_protection": "yes"},
        f"{F}: {S}.user_pool.deletion_protection: must be true or false, got a string",
    ),
    # URLs
    (
        {f"{S}.app_client.callback_urls": ["http://app.acme.com/cb"]},
        f"{F}: {S}.app_client.callback_urls: 'http://app.acme.com/cb' is not allowed: plain http is not "
        "allowed; use https://... URLs (http:// only for localhost)",
    ),
    (
        {f"{S}.app_client.logout_urls": ["javascript:alert(1)"]},
        f"{F}: {S}.app_client.logout_urls: 'javascript:alert(1)' is not allowed: the scheme 'javascript' is "
        "not https; use https://... URLs (http:// only for localhost)",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://app.acme.com/cb#x"]},
        f"{F}: {S}.app_client.callback_urls: 'https://app.acme.com/cb#x' is not allowed: it has a fragment "
        "(#...), which OAuth redirect URLs must not have; use https://... URLs (http:// only for localhost)",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://user:pw@app.acme.com/cb"]},
        f"{F}: {S}.app_client.callback_urls: 'https://user:pw@app.acme.com/cb' is not allowed: it carries "
        "credentials; use https://... URLs (http:// only for localhost)",
    ),
    (
        {f"{S}.app_client.callback_urls": []},
        f"{F}: {S}.app_client.callback_urls: needs at least one URL for the code flow",
    ),
    (
        {f"{S}.app_client.callback_urls": ["https://a.io/x", "https://a.io/x"]},
        f"{F}: {S}.app_client.callback_urls: lists a value twice",
    ),
    (
        {"defaults.aws.endpoint_url": "ftp://127.0.0.1"},
        f"{F}: {S}.aws.endpoint_url: 'ftp://127.0.0.1' is not an http(s) endpoint URL like "
        "http://127.0.0.1:5000 (value set in [defaults])",
    ),
    # domains and hosts
    (
        {f"{S}.domain.prefix": "Acme"},
        f"{F}: {S}.domain.prefix: 'Acme' is not a valid Cognito domain prefix: use 1-63 lowercase letters, "
        "digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        {f"{S}.domain.prefix": "acme-"},
        f"{F}: {S}.domain.prefix: 'acme-' is not a valid Cognito domain prefix: use 1-63 lowercase letters, "
        "digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        {f"{S}.domain.prefix": "acme\n"},  # `$` alone would accept the trailing newline
        f"{F}: {S}.domain.prefix: 'acme\\n' is not a valid Cognito domain prefix: use 1-63 lowercase letters, "
        "digits and hyphens, not starting or ending with a hyphen",
    ),
    (
        {f"{S}.domain.prefix": "acme-cognito"},
        f"{F}: {S}.domain.prefix: 'acme-cognito' is not allowed as a Cognito domain prefix: it contains the "
        "reserved word 'cognito'",
    ),
    (
        {"defaults.idura.domain": "https://acme.idura.broker"},
        f"{F}: {S}.idura.domain: 'https://acme.idura.broker' is not a valid host name: use a lowercase DNS "
        "name like acme-corp.idura.broker (no scheme, path or port), or localhost:PORT / 127.0.0.1:PORT for a "
        "local emulator (value set in [defaults])",
    ),
    (
        {f"{S}.idura.domain": "acme.idura.broker/path"},
        f"{F}: {S}.idura.domain: 'acme.idura.broker/path' is not a valid host name: use a lowercase DNS name "
        "like acme-corp.idura.broker (no scheme, path or port), or localhost:PORT / 127.0.0.1:PORT for a local "
        "emulator",
    ),
    (
        {f"{S}.domain": {"custom": "login.acme.com"}},
        f"{F}: {S}.domain.certificate_arn: custom and certificate_arn go together",
    ),
    (
        {f"{S}.domain": {"custom": "login..acme.com", "certificate_arn": "x"}},
        f"{F}: {S}.domain.custom: 'login..acme.com' is not a valid host name: use a lowercase DNS name like "
        "acme-corp.idura.broker (no scheme, path or port)",
    ),
    (
        {
            f"{S}.domain": {
                "custom": "login.acme.com",
                "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            }
        },
        f"{F}: {S}.domain.certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' is not an ACM "
        "certificate ARN in us-east-1 (Cognito custom domains need "
        "arn:aws:acm:us-east-1:<account>:certificate/<id>)",
    ),
    (
        {f"{S}.domain": {"prefix": "acme-a", "existing": "acme-b"}},
        f"{F}: {S}.domain: set exactly one of prefix, custom (with certificate_arn) and existing",
    ),
    (
        {f"{S}.domain.managed_login_version": 3},
        f"{F}: {S}.domain.managed_login_version: must be one of 1, 2, got 3",
    ),
    # user pool
    (
        {f"{S}.user_pool.existing_id": "eu-north-1_abc"},
        f"{F}: {S}.user_pool: set exactly one of name (create a pool) and existing_id (use a pool)",
    ),
    (
        {f"{S}.user_pool": {"existing_id": "not a pool"}},
        f"{F}: {S}.user_pool.existing_id: 'not a pool' is not a Cognito user pool id like eu-north-1_AbCdEf123",
    ),
    # identity providers
    (
        {f"{S}.identity_provider.name": "Idura Login"},
        f"{F}: {S}.identity_provider.name: 'Idura Login' is not a valid Cognito identity provider name: use "
        "3-32 characters without spaces, not starting or ending with an underscore",
    ),
    (
        {f"{S}.identity_provider.name": "I" * 33},
        f"{F}: {S}.identity_provider.name: '{'I' * 33}' is not a valid Cognito identity provider name: use "
        "3-32 characters without spaces, not starting or ending with an underscore",
    ),
    (
        {f"{S}.identity_provider.name": "Google"},
        f"{F}: {S}.identity_provider.name: 'Google' is reserved by Cognito for a built-in provider; choose "
        "another name",
    ),
    (
        {f"{S}.pinned_eids": [{"name": "idura", "acr": "urn:grn:authn:no:bankid"}]},
        f"{F}: {S}.pinned_eids[0].name: 'idura' is already used by identity_provider.name; IdP names must be "
        "unique",
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
        f"{F}: {S}.pinned_eids[1].name: 'NO.BankID' differs from 'NO-BankID' only in punctuation or case",
    ),
    (
        {f"{S}.pinned_eids": [{"name": "MitID", "acr": "urn:mitid:substantial"}]},
        f"{F}: {S}.pinned_eids[0].acr: 'urn:mitid:substantial' is not an Idura acr value: use the "
        "urn:grn:authn:... form, e.g. urn:grn:authn:dk:mitid:substantial",
    ),
    (
        {f"{S}.pinned_eids": [{"name": "MitID"}]},
        f"{F}: {S}.pinned_eids[0].acr: is required",
    ),
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
        f"{F}: {S}.identity_provider.attributes.emial: 'emial' is not a user pool attribute: use a standard "
        "attribute (e.g. name, given_name, birthdate) or custom:<name> with 1-20 letters, digits or underscores",
    ),
    (
        {f"{S}.identity_provider.attributes": {"name": "full name"}},
        f"{F}: {S}.identity_provider.attributes.name: 'full name' is not a claim name: use 1-128 printable "
        "characters without spaces",
    ),
    # app client
    (
        {f"{S}.app_client.oauth_scopes": ["openid", "admin"]},
        f"{F}: {S}.app_client.oauth_scopes: 'admin' is not an app client OAuth scope: use openid, email, phone, "
        "profile, aws.cognito.signin.user.admin or a resource-server scope 'server/scope'",
    ),
    (
        {f"{S}.app_client.oauth_scopes": ["profile"]},
        f"{F}: {S}.app_client.oauth_scopes: must include 'openid' to receive an id token",
    ),
    # aws, idura, backend
    (
        {"defaults.aws.region": "north"},
        f"{F}: {S}.aws.region: 'north' is not an AWS region name like eu-north-1 (value set in [defaults])",
    ),
    (
        {f"{S}.idura.secret_source": "automatic"},
        f"{F}: {S}.idura.secret_source: must be one of 'hand-registered', 'managed', got 'automatic'",
    ),
    ({f"{S}.idura.client_id": "urn:idura:\tx"}, f"{F}: {S}.idura.client_id: must be 1-255 printable characters"),
    (
        {f"{S}.backend": {"type": "gcs"}},
        f"{F}: {S}.backend.type: must be one of 'local', 's3', 'cloud', got 'gcs'",
    ),
    (
        {f"{S}.backend": {"type": "s3", "key": "k", "region": "eu-north-1"}},
        f"{F}: {S}.backend.bucket: is required",
    ),
    (
        {f"{S}.backend": {"type": "local", "bucket": "b"}},
        f"{F}: {S}.backend.bucket: is not a known key; allowed here: path, type",
    ),
]


@pytest.mark.parametrize(("changes", "message"), CASES, ids=[c[1].split(": ")[1] for c in CASES])
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
    assert stack.identity_provider.custom_attributes == ("ssn",)


def test_existing_domain_host_and_prefix():
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"existing": "login.acme.com"}
    assert parse(config).stacks["dev"].cognito_host == "login.acme.com"
    config["stacks"]["dev"]["domain"] = {"existing": "acme-old"}
    assert parse(config).stacks["dev"].cognito_host == "acme-old.auth.eu-north-1.amazoncognito.com"
