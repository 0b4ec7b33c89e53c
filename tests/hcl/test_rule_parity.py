"""One corpus, three readers, the same verdict: the config loader, the external program and the module's
generated variable validations (run by `terraform test`, one process per module) accept and refuse alike.

The module side also checks that its escrow name (names.tf) equals the Python mapping for every client id.
"""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from idura_cognito.config import ConfigError
from idura_cognito.definitions.naming import escrow_name
from idura_cognito.encoding import expression, string
from idura_verify.program.application import MAX_REDIRECT_URIS, InputError, parse_query
from tests.support.config import base_config, parsed_config
from tests.support.paths import ROOT
from tests.support.program import query as program_query
from tests.support.terraform import TerraformDir

MODULE = ROOT / "modules" / "idura-cognito"
NASTY = ["", " ", "a\n", "a\r", "a\tb", "\x00", "a\u202eb", "a\u200bb", "\u2028", "x" * 1100]

#: config key -> (accepted, refused). Every value is tried by every reader that knows the key.
CORPUS: dict[str, tuple[list, list]] = {
    "aws.region": (
        ["eu-north-1", "us-gov-west-1", "cn-north-1"],
        ["north", "EU-NORTH-1", "eu-north-1a", "é", *NASTY],
    ),
    "idura.domain": (
        ["acme.idura.broker", "acme-corp.test.idura.broker", "localhost:8443", "127.0.0.1:1", "a.b"],
        [
            "https://acme.idura.broker",
            "acme.idura.broker/x",
            "Acme.idura.broker",
            "acme",
            "169.254.169.254",
            "10.0.0.1",
            "metadata.google.internal",
            "localhost:0",
            "localhost:65536",
            "acme.idura.broker:443",
            "-a.b",
            "é.b",
            *NASTY,
        ],
    ),
    "idura.client_id": (
        ["urn:idura:acme:prod", "a", "x" * 255, "acme_web+1=@."],
        ["urn:idura:acme prod", "x" * 256, "é", *NASTY],
    ),
    "idura.application_name": (
        ["Acme login", "Ærø Kommune", "a", "x" * 100, "ab ${x} %{y}"],
        [" lead", "trail ", "x" * 101, *NASTY],
    ),
    "user_pool.name": (["acme-prod", "Acme Prod 1", "a+=,.@_-"], ["ümlaut", "x" * 129, "a/b", *NASTY]),
    "domain.prefix": (["acme-login", "a", "a" * 63], ["Acme", "acme-", "-a", "my-aws-login", "amazonx", *NASTY]),
    "identity_provider.name": (
        ["Idura", "MitID", "NO-BankID", "a_b", "x" * 32],
        ["_ab", "ab_", "ab", "x" * 33, "Idura Login", "Google", "COGNITO", *NASTY],
    ),
    "pinned_eids[].acr": (
        [
            "urn:grn:authn:dk:mitid:substantial",
            "urn:grn:authn:se:bankid:another-device:qr",
            "urn:grn:authn:future:eid",
        ],
        # FTN and age verification: well formed, refused (they cannot work through Cognito).
        [
            "mitid",
            "urn:",
            "URN:grn:x",
            "urn:grn:authn:dk:MitID",
            "urn:a::b",
            "urn:age-verification",
            "urn:grn:authn:fi:bank-id",
            *NASTY,
        ],
    ),
    "identity_provider.login_hint_eids[]": (
        ["urn:grn:authn:dk:mitid:substantial", "urn:grn:authn:no:bankid", "urn:grn:authn:future:eid"],
        ["mitid", "urn:", "URN:grn:x", "urn:a::b", "urn:age-verification", "urn:grn:authn:fi:bank-id", *NASTY],
    ),
    "app_client.callback_urls[]": (
        ["https://app.acme.com/cb", "https://App.acme.com:8443/cb?x=1", "http://localhost:3000/cb", "https://a.b"],
        [
            "http://app.acme.com/cb",
            "https://a.b/c#x",
            "https://user@a.b/c",
            "javascript:alert(1)",
            "https://10.0.0.1/cb",
            "https://a.b/c d",
            *NASTY,
        ],
    ),
    "app_client.oauth_scopes[]": (["openid", "profile", "https://api.acme.com/read"], ["admin", "a b", *NASTY]),
    "tags{}": (["team", "cost-center", "a:b/c"], ["aws:created", "a\u00e9", *NASTY]),
    "stack": (["dev", "a", "prod-eu-1", "x" * 32], ["Dev", "1dev", "a_b", "x" * 33, "dev.", *NASTY]),
    "idura.secret_source": (["managed", "hand-registered"], ["Managed", "auto", "hand registered", *NASTY]),
    "user_pool.existing_id": (
        ["eu-north-1_AbCdEf123", "us-gov-west-1_a"],
        ["eu-north-1", "_AbC", "eu-north-1_", "eu north-1_a", "x" * 50 + "_" + "y" * 5, *NASTY],
    ),
    "user_pool.pre_sign_up_lambda_arn": (
        [
            "arn:aws:lambda:eu-north-1:123456789012:function:acme-pre-sign-up",
            "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f_1:live",
        ],
        [
            "acme-pre-sign-up",
            "arn:aws:lambda:eu-north-1:12345:function:f",
            "arn:aws:iam::123456789012:role/f",
            "arn:aws:lambda:eu-north-1:123456789012:function:" + "f" * 65,
            *NASTY,
        ],
    ),
    "domain.custom": (["login.acme.com", "a.b"], ["Login.acme.com", "acme", "login.acme.com.", "1.2.3.4", *NASTY]),
    "domain.certificate_arn": (
        ["arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f"],
        ["arn:aws:acm:eu-west-1:123456789012:certificate/0a1b", "arn:aws:acm:us-east-1:12345:certificate/x", *NASTY],
    ),
    "domain.existing": (["acme-login", "login.acme.com"], ["Acme", "-a", "login.acme.com/", *NASTY]),
    "identity_provider.scopes[]": (
        ["ssn", "oneid:product:id_proof", "idin:full-id", "odis:Profile2"],
        ['a"b', "a\\b", "a b", *NASTY],
    ),
    "identity_provider.attributes{}": (
        ["name", "custom:ssn", "birthdate", "custom:" + "x" * 20],
        ["custom:", "custom:" + "x" * 21, "ssn", "Name", "custom:a-b", *NASTY],
    ),
    "identity_provider.attributes{}=": (
        ["cprNumberIdentifier", "2.5.4.10", "http://schemas.grean.id/claims/dateofbirth", "x" * 128],
        ["a b", "x" * 129, "\u00e9", *NASTY],
    ),
    "pinned_eids[].name": (["MitID", "SE-BankID", "x" * 32], ["_ab", "ab", "x" * 33, "Mit ID", "Facebook", *NASTY]),
    "pinned_eids[].scopes[]": (["ssn", "frejaid:email_address", "idin:full-id"], ['a"b', "a\\b", "a b", *NASTY]),
    "app_client.name": (["acme-web", "Acme Web 1"], ["\u00fc", "x" * 129, "a/b", *NASTY]),
    "app_clients{}": (["web", "spa-1", "a_b", "x" * 32], ["Web", "1web", "a.b", "x" * 33, "", "a b", "a\n"]),
    "app_client.sign_out": (
        ["https://app.acme.com/signed-out", "http://localhost:3000/", "com.acme.app://signed-out"],
        ["http://app.acme.com/", "https://a.b/#x", "myapp://out", "javascript:alert(1)", *NASTY],
    ),
    # Names the stack has (the loader also refuses a provider the stack does not have; the module cannot know).
    "app_client.identity_providers[]": (["Idura"], ["ab", "_ab", "Facebook", "Idura Login", *NASTY]),
    "existing_resource_servers[]": (["https://api.acme.com", "orders"], ['a"b', "a b", "x" * 257, *NASTY]),
    "app_client.logout_urls[]": (
        ["https://app.acme.com/", "http://localhost:3000/"],
        ["http://app.acme.com/", "https://a.b/#x", *NASTY],
    ),
    "app_client.default_redirect_uri": (
        ["https://app.acme.com/callback"],  # one of the base config's callback_urls (both check membership)
        ["http://app.acme.com/", "https://a.b/#x", *NASTY],
    ),
    "tags{}=": (["", "v 1", "a:b/c=d+e@f-g_h"], ["\u00e9", "a#b", "x" * 257, "a\n", "\x00", "a\u202eb"]),
    "escrow.kms_key_id": (
        [
            "alias/escrow",
            "arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "mrk-0123456789abcdef0123456789abcdef",
        ],
        ["alias/", "key", "arn:aws:kms:eu-north-1:12:key/x", *NASTY],
    ),
}

#: Query keys of the program alone (no config key): query key -> (accepted, refused).
PROGRAM_CORPUS: dict[str, tuple[list, list]] = {
    "have_secret": (["true", "false"], ["True", "1", "yes", *NASTY]),
    "escrowed_secret_id": (["", "sec_1", "a.b-c_D"], ["a b", "x" * 129, "a/b", "\u00e9"]),
    # The clients' sign_out URLs: the config's rule, and https:// only (the management contract's returnUrls).
    "post_logout_uris[]": (
        ["https://app.acme.com/signed-out", "https://m.acme.com/out?x=1"],
        ["http://localhost:3000/", "com.acme.app://out", "https://app.acme.com/#f", "javascript:alert(1)"],
    ),
    "escrow_arn": (
        ["", "arn:aws:secretsmanager:eu-north-1:123456789012:secret:idura-cognito/a/b-AbCdEf"],
        ["arn:aws:s3:::bucket", "secret", "\u00e9", "a\n"],
    ),
    "cognito_host": (
        ["acme.auth.eu-north-1.amazoncognito.com", "login.acme.com"],
        ["Acme.auth.eu-north-1.amazoncognito.com", "acme.amazoncognito.com", "x.y.auth.eu.amazoncognito.com", *NASTY],
    ),
}

#: Every constraint over several values, as loader stack tables and the same as module variables.
CONSTRAINT_CASES: list[tuple[str, dict, dict, bool]] = [
    (
        "one_of user_pool: both",
        {"user_pool": {"name": "a", "existing_id": "eu-north-1_a"}},
        {"user_pool": {"name": "a", "existing_id": "eu-north-1_a"}},
        False,
    ),
    (
        "one_of domain: two",
        {"domain": {"prefix": "a", "existing": "b"}},
        {"domain": {"prefix": "a", "existing": "b"}},
        False,
    ),
    (
        "together domain: custom alone",
        {"domain": {"custom": "login.acme.com"}},
        {"domain": {"custom": "login.acme.com"}},
        False,
    ),
    (
        "includes scopes: no openid",
        {"identity_provider": {"scopes": ["ssn"]}},
        {"identity_provider": {"scopes": ["ssn"]}},
        False,
    ),
    (
        "includes oauth scopes: no openid",
        {"app_client": {"callback_urls": ["https://a.b/c"], "oauth_scopes": ["email"]}},
        {"app_client": {"callback_urls": ["https://a.b/c"], "oauth_scopes": ["email"]}},
        False,
    ),
    ("count callback URLs: none", {"app_client": {"callback_urls": []}}, {"app_client": {"callback_urls": []}}, False),
    (
        "count callback URLs: 100",
        {"app_client": {"callback_urls": [f"https://a.b/{n}" for n in range(100)]}},
        {"app_client": {"callback_urls": [f"https://a.b/{n}" for n in range(100)]}},
        True,
    ),
    (
        "count callback URLs: 101",
        {"app_client": {"callback_urls": [f"https://a.b/{n}" for n in range(101)]}},
        {"app_client": {"callback_urls": [f"https://a.b/{n}" for n in range(101)]}},
        False,
    ),
    (
        "count logout URLs: 101",
        {"app_client": {"callback_urls": ["https://a.b/c"], "logout_urls": [f"https://a.b/{n}" for n in range(101)]}},
        {"app_client": {"callback_urls": ["https://a.b/c"], "logout_urls": [f"https://a.b/{n}" for n in range(101)]}},
        False,
    ),
    (
        "unique names",
        {"pinned_eids": [{"name": "Idura", "acr": "urn:a"}]},
        {"pinned_eids": [{"name": "idura", "acr": "urn:a"}]},
        False,
    ),
    (
        "unique acr",
        {"pinned_eids": [{"name": "One", "acr": "urn:a"}, {"name": "Two", "acr": "urn:a"}]},
        {"pinned_eids": [{"name": "One", "acr": "urn:a"}, {"name": "Two", "acr": "urn:a"}]},
        False,
    ),
    (
        "excludes FTN",
        {"pinned_eids": [{"name": "FTN", "acr": "urn:grn:authn:fi:all"}]},
        {"pinned_eids": [{"name": "FTN", "acr": "urn:grn:authn:fi:all"}]},
        False,
    ),
    (
        "excludes age verification",
        {"pinned_eids": [{"name": "Age", "acr": "urn:age-verification"}]},
        {"pinned_eids": [{"name": "Age", "acr": "urn:age-verification"}]},
        False,
    ),
    (
        "includes an eID's own scopes: no openid",
        {"pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["ssn"]}]},
        {"pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["ssn"]}]},
        False,
    ),
    (
        "includes an eID's own scopes: with openid",
        {"pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["openid", "ssn"]}]},
        {"pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["openid", "ssn"]}]},
        True,
    ),
    (
        "MFA without a method",
        {"user_pool": {"name": "a", "mfa": "optional"}},
        {"user_pool": {"name": "a", "mfa": "optional"}},
        False,
    ),
    (
        "MFA with TOTP",
        {"user_pool": {"name": "a", "mfa": "on", "mfa_totp": True}},
        {"user_pool": {"name": "a", "mfa": "on", "mfa_totp": True}},
        True,
    ),
    (
        "a token lifetime outside Cognito's limits",
        {"app_client": {"callback_urls": ["https://a.b/c"], "access_token_validity": 25}},
        {"app_client": {"callback_urls": ["https://a.b/c"], "access_token_validity": 25}},
        False,
    ),
    (
        "a token lifetime in minutes",
        {
            "app_client": {
                "callback_urls": ["https://a.b/c"],
                "access_token_validity": 30,
                "token_validity_units": {"access_token": "minutes"},
            }
        },
        {
            "app_client": {
                "callback_urls": ["https://a.b/c"],
                "access_token_validity": 30,
                "access_token_unit": "minutes",
            }
        },
        True,
    ),
]

#: A valid value of every other key, per reader.
MAIN_DEFAULTS = {
    "aws_region": "eu-north-1",
    "idura_domain": "acme.idura.broker",
    "client_id": "urn:idura:acme:prod",
    "user_pool": {"name": "acme-prod"},
    "domain": {"prefix": "acme-login"},
    "app_client": {"callback_urls": ["https://app.acme.com/cb"]},
}
APPLICATION_DEFAULTS = {
    "idura_domain": "acme.idura.broker",
    "client_id": "urn:idura:acme:prod",
    "application_name": "Acme",
    "redirect_urls": ["https://acme.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"],
    "cognito_host": "acme.auth.eu-north-1.amazoncognito.com",
    "escrow": {"exists": False, "has_secret": False, "secret_id": ""},
}


def cases():
    for key, (accepted, refused) in CORPUS.items():
        for value in accepted:
            yield key, value, True
        for value in refused:
            yield key, value, False


def loader_verdict(key: str, value) -> bool:
    config = base_config()
    stack = config["stacks"]["dev"]
    if key == "stack":
        config["stacks"] = {value: stack}
    elif key == "pinned_eids[].acr":
        stack["pinned_eids"] = [{"name": "MitID", "acr": value}]
    elif key == "pinned_eids[].name":
        stack["pinned_eids"] = [{"name": value, "acr": "urn:grn:authn:dk:mitid:low"}]
    elif key == "pinned_eids[].scopes[]":
        stack["pinned_eids"] = [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["openid", value]}]
    elif key == "user_pool.existing_id":
        stack["user_pool"] = {"existing_id": value}
    elif key in ("domain.custom", "domain.certificate_arn"):
        stack["domain"] = {"custom": "login.acme.com", "certificate_arn": CERTIFICATE} | {key.split(".")[1]: value}
    elif key == "domain.existing":  # a domain already on an existing pool (a new pool has none)
        stack["domain"] = {"existing": value}
        stack["user_pool"] = {"existing_id": "eu-north-1_abcDEF123"}
    elif key == "identity_provider.scopes[]":
        stack["identity_provider"] = {"scopes": ["openid", value]}
    elif key == "identity_provider.login_hint_eids[]":
        stack["identity_provider"] = {"login_hint_eids": [value]}
    elif key == "app_clients{}":
        stack["app_clients"] = {value: stack.pop("app_client")}
    elif key == "existing_resource_servers[]":
        stack["existing_resource_servers"] = [value]
    elif key == "tags{}=":
        stack["tags"] = {"k": value}
    elif key == "identity_provider.attributes{}=":
        stack.setdefault("identity_provider", {})["attributes"] = {"name": value}
    elif key.endswith("{}"):
        if key == "tags{}":
            stack["tags"] = {value: "v"}
        else:
            stack.setdefault("identity_provider", {})["attributes"] = {value: "claim"}
    elif key.endswith("[]"):
        table, name = key[:-2].split(".")
        stack.setdefault(table, {})[name] = [value] + (
            ["openid"] if name == "oauth_scopes" and value != "openid" else []
        )
    else:
        table, name = key.split(".")
        stack.setdefault(table, {})[name] = value
        if key == "idura.domain":
            config["defaults"]["idura"].pop("domain")
    return _loads(config)


def _loads(config: dict) -> bool:
    try:
        parsed_config(config, "c.toml")
    except ConfigError:
        return False
    return True


CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f"


def constraint_loader_verdict(tables: dict) -> bool:
    config = base_config()
    stack = config["stacks"]["dev"]
    for table, value in tables.items():
        stack[table] = value if table == "pinned_eids" else stack.get(table, {}) | value if table != "domain" else value
    if "user_pool" in tables:
        stack["user_pool"] = tables["user_pool"]
    return _loads(config)


PROGRAM_KEYS = {
    "idura.domain": "idura_domain",
    "idura.client_id": "client_id",
    "idura.application_name": "application_name",
}


def program_verdict(key: str, value) -> bool:
    query = program_query("acme.idura.broker", "urn:x", application_name="X", have_secret="false")
    query[PROGRAM_KEYS[key]] = value
    try:
        parse_query(json.dumps(query))
    except InputError:
        return False
    return True


def program_query_verdict(query_key: str, value) -> bool:
    query = program_query("acme.idura.broker", "urn:x", application_name="X", have_secret="false")
    if query_key.endswith("[]"):  # an item of a JSON array inside the string
        query[query_key[:-2]] = json.dumps([value])
    else:
        query[query_key] = value
    if query_key == "cognito_host":
        query["redirect_uris"] = json.dumps([f"https://{value}/oauth2/idpresponse"])
    try:
        parse_query(json.dumps(query))
    except InputError:
        return False
    return True


def test_the_program_gives_the_expected_verdicts_on_its_own_keys():
    wrong = [
        (key, value, accepted)
        for key, (good, bad) in PROGRAM_CORPUS.items()
        for value, accepted in [*((v, True) for v in good), *((v, False) for v in bad)]
        if program_query_verdict(key, value) != accepted
    ]
    assert wrong == []


def test_the_corpus_covers_every_rule_and_constraint():
    """A rule or constraint without a case here could be weakened in one reader and not be noticed."""
    from idura_verify.program.rules import CONSTRAINTS, RULES

    hcl_rules = {r.key for r in RULES if r.hcl}
    assert hcl_rules - set(CORPUS) == set()
    program_rules = {r.query for r in RULES if r.query and r.query != "redirect_uris[]"}
    assert program_rules - set(PROGRAM_KEYS.values()) - set(PROGRAM_CORPUS) == set()
    kinds = {(c.kind, c.key) for c in CONSTRAINTS}
    described = " ".join(case[0] for case in CONSTRAINT_CASES)
    for kind, key in kinds:
        assert kind in described, f"no constraint case for {kind} {key}"


def test_the_loader_gives_the_expected_verdicts_on_the_constraints():
    wrong = [name for name, tables, _, accepted in CONSTRAINT_CASES if constraint_loader_verdict(tables) != accepted]
    assert wrong == []


def module_variables(key: str, value) -> tuple[str, dict]:
    """(module, variables) where the main module is "main" and the submodule "application"."""
    if key == "idura.application_name":
        return "application", {"application_name": value}
    simple = {
        "aws.region": "aws_region",
        "idura.domain": "idura_domain",
        "idura.client_id": "client_id",
        "stack": "stack_name",
        "idura.secret_source": "secret_source",
        "escrow.kms_key_id": "escrow_kms_key_id",
    }
    if key in simple:
        return "main", {simple[key]: value}
    if key == "pinned_eids[].acr":
        return "main", {"pinned_eids": [{"name": "MitID", "acr": value}]}
    if key == "pinned_eids[].name":
        return "main", {"pinned_eids": [{"name": value, "acr": "urn:grn:authn:dk:mitid:low"}]}
    if key == "pinned_eids[].scopes[]":
        pin = {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["openid", value]}
        return "main", {"pinned_eids": [pin]}
    if key == "tags{}":
        return "main", {"tags": {value: "v"}}
    if key == "tags{}=":
        return "main", {"tags": {"k": value}}
    if key == "user_pool.existing_id":
        return "main", {"user_pool": {"existing_id": value}}
    if key in ("domain.custom", "domain.certificate_arn"):
        domain = {"custom": "login.acme.com", "certificate_arn": CERTIFICATE} | {key.split(".")[1]: value}
        return "main", {"domain": domain}
    if key == "domain.existing":
        return "main", {"domain": {"existing": value}}
    if key == "identity_provider.scopes[]":
        return "main", {"identity_provider": {"scopes": ["openid", value]}}
    if key == "identity_provider.login_hint_eids[]":
        return "main", {"identity_provider": {"login_hint_eids": [value]}}
    if key == "app_clients{}":
        return "main", {"app_clients": {value: MAIN_DEFAULTS["app_client"]}}
    if key == "existing_resource_servers[]":
        return "main", {"existing_resource_servers": [value]}
    if key == "identity_provider.attributes{}":
        return "main", {"identity_provider": {"attributes": {value: "claim"}}}
    if key == "identity_provider.attributes{}=":
        return "main", {"identity_provider": {"attributes": {"name": value}}}
    table, name = key.removesuffix("[]").split(".")
    default = copy.deepcopy(MAIN_DEFAULTS.get(table, {}))
    if key.endswith("[]"):
        default[name] = [value] + (["openid"] if name == "oauth_scopes" and value != "openid" else [])
    else:
        default[name] = value
    return "main", {table: default}


def test_loader_and_program_agree_on_the_corpus():
    disagree = [
        (key, value, loader_verdict(key, value), program_verdict(key, value))
        for key, value, _ in cases()
        if key in PROGRAM_KEYS and loader_verdict(key, value) != program_verdict(key, value)
    ]
    assert disagree == []


def test_the_loader_gives_the_expected_verdicts():
    wrong = [(k, v, want) for k, v, want in cases() if loader_verdict(k, v) != want]
    assert wrong == []


def _program_accepts_redirect_uris_on(cognito_host: str, urls: list[str]) -> bool:
    query = program_query(
        "acme.idura.broker", "urn:idura:acme:prod", redirect_uris=json.dumps(urls), cognito_host=cognito_host
    )
    try:
        parse_query(json.dumps(query))
    except InputError:
        return False
    return True


def _program_accepts_redirect_uris(urls: list[str]) -> bool:
    query = program_query(
        "acme.idura.broker", "urn:idura:acme:prod", application_name="Acme", redirect_uris=json.dumps(urls)
    )
    try:
        parse_query(json.dumps(query))
    except InputError:
        return False
    return True


def _run_block(index: int | str, variables: dict, refused: bool) -> str:
    body = "\n".join(f"    {name} = {expression(value, 2)}" for name, value in variables.items())
    lines = [f'run "case_{index}" {{', "  command = plan", "  variables {", body, "  }"]
    if refused:
        lines.append(f"  expect_failures = [{', '.join('var.' + n for n in variables)}]")
    return "\n".join([*lines, "}"])


@pytest.mark.terraform
def test_the_module_validations_give_the_same_verdicts(tmp_path):
    """Every case as a `terraform test` run block against the generated variables.tf; one process per module."""
    roots = {"main": tmp_path / "main", "application": tmp_path / "application"}
    for root in roots.values():
        root.mkdir()
    shutil.copy(MODULE / "variables.tf", roots["main"])
    shutil.copy(MODULE / "names.tf", roots["main"])
    shutil.copy(MODULE / "modules/idura-application/variables.tf", roots["application"])
    blocks: dict[str, list[str]] = {"main": [], "application": []}
    for index, (key, value, accepted) in enumerate(cases()):
        module, variables = module_variables(key, value)
        blocks[module].append(_run_block(index, variables, refused=not accepted))
    for number, (_, _, variables, accepted) in enumerate(CONSTRAINT_CASES):
        merged = {
            name: {**MAIN_DEFAULTS.get(name, {}), **value} if isinstance(value, dict) else value
            for name, value in variables.items()
        }
        if "user_pool" in variables:
            merged["user_pool"] = variables["user_pool"]
        if "domain" in variables:
            merged["domain"] = variables["domain"]
        blocks["main"].append(_run_block(f"constraint_{number}", merged, refused=not accepted))
    # The escrow name: the module's names.tf against the Python mapping, for odd client ids too.
    client_ids = [
        "acme-web",
        "urn:idura:samples:aws:cognito",
        "::",
        "x" * 255,
        "a${b}%{c}",
        "urn:a:b",
        "urn-a-b",
        "-",
    ]
    (roots["main"] / "escrow_names.tf").write_text('output "escrow_name" {\n  value = local.escrow_name\n}\n')
    for number, client_id in enumerate(client_ids):
        expected = escrow_name("localhost:8443", client_id)
        blocks["main"].append(
            "\n".join(
                [
                    f'run "escrow_{number}" {{',
                    "  command = plan",
                    "  variables {",
                    '    idura_domain = "localhost:8443"',
                    f"    client_id    = {string(client_id)}",
                    "  }",
                    "  assert {",
                    f"    condition     = output.escrow_name == {string(expected)}",
                    f"    error_message = {string('escrow name differs for ' + client_id)}",
                    "  }",
                    "}",
                ]
            )
        )
    # How many redirect URLs: the submodule takes exactly as many as the program does (one constant); and only
    # the stack's own Cognito host, in both.
    host = APPLICATION_DEFAULTS["cognito_host"]
    for count in (MAX_REDIRECT_URIS, MAX_REDIRECT_URIS + 1):
        urls = [f"https://{host}/oauth2/idpresponse"] * count
        program_accepts = _program_accepts_redirect_uris(urls)
        assert program_accepts is (count <= MAX_REDIRECT_URIS)
        blocks["application"].append(_run_block(f"urls_{count}", {"redirect_urls": urls}, refused=not program_accepts))
    for number, url in enumerate(
        [
            "https://attacker.example/oauth2/idpresponse",
            "https://other.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse",
        ]
    ):
        assert not _program_accepts_redirect_uris_on(host, [url])
        blocks["application"].append(_run_block(f"other_host_{number}", {"redirect_urls": [url]}, refused=True))
    defaults = {"main": MAIN_DEFAULTS, "application": APPLICATION_DEFAULTS}
    results = {}
    for module, root in roots.items():
        header = (
            "variables {\n" + "\n".join(f"  {k} = {expression(v, 1)}" for k, v in defaults[module].items()) + "\n}\n\n"
        )
        (root / "tests").mkdir()
        (root / "tests" / "parity.tftest.hcl").write_text(header + "\n\n".join(blocks[module]) + "\n")
        tf = TerraformDir.at(root, ROOT / "no-cli-config")  # no providers to install
        tf.run("init", "-input=false", "-backend=false")
        results[module] = tf.run("test", check=False)
    for module, process in results.items():
        output = process.stdout + process.stderr
        failed = [line for line in output.splitlines() if line.strip().endswith("... fail")]
        assert process.returncode == 0 and not failed, f"{module}: {failed}\n{output[-3000:]}"
        assert f"{len(blocks[module])} passed, 0 failed" in output
