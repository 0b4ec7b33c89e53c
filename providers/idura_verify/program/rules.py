"""Every value rule, declared once (standard library only).

One table, three readers:
- the config loader (``idura_cognito.config``) checks each config key with :meth:`Rule.problem`;
- the external program checks its ``query`` with the rules whose ``query`` key is set;
- the module's ``variables.tf`` validations are generated from the rules whose ``hcl`` accessor is set
  (``devtools/module_files.py``; a test keeps the committed file current).

A pattern is matched against the whole value. Patterns use only what Python's ``re`` and Terraform's RE2 read
alike: literal characters, ``[...]`` classes with ranges, ``(?:...)``, ``|``, ``?``, ``*``, ``+`` and ``{m,n}``
with n <= 1000. No ``\\d``, ``\\w`` or ``\\s`` (Unicode in Python, ASCII in RE2) and no look-around (RE2 has
none). Control characters are literal characters in the pattern; the HCL encoder writes them as ``\\uNNNN``.
``max_length`` is only used with ASCII-only patterns: Terraform's ``length()`` counts grapheme clusters and
Python's ``len()`` code points, which agree on ASCII. A parity test feeds one corpus to all three readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

if __package__ in (None, ""):  # a file of the program folder: its siblings are importable from here
    from oidc import COGNITO_REDIRECT_PATH  # type: ignore[no-redef]
else:
    from .oidc import COGNITO_REDIRECT_PATH

# -- character classes --------------------------------------------------------------------------------------

#: Characters no configured value may hold: C0 and C1 controls (newline, carriage return, tab, NUL, ...), DEL,
#: line and paragraph separators, and the invisible format characters used for spoofing (zero-width, bidi).
#: Controls, line and paragraph separators, zero-width and bidirectional formatting characters (embeddings and
#: overrides U+202A-202E, isolates U+2066-2069, the Arabic letter mark U+061C): text that could hide or reorder
#: what a reviewer reads. Refused in config values; escaped wherever the product shows a server's text.
FORBIDDEN_CHARACTERS = "\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
#: Spaces other than the ASCII space: never at the edges of a name.
_OTHER_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
TEXT = f"[^{FORBIDDEN_CHARACTERS}]"
VISIBLE = f"[^{FORBIDDEN_CHARACTERS} {_OTHER_SPACES}]"
_VISIBLE_NOT_UNDERSCORE = f"[^{FORBIDDEN_CHARACTERS} {_OTHER_SPACES}_]"

_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ANY_CASE_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: A lowercase DNS name of two or more labels whose last label starts with a letter: an IPv4 literal such as
#: 169.254.169.254 (the metadata service) is not a DNS name.
DNS_NAME = f"(?:{_LABEL}\\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?"
_PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
LOOPBACK = f"(?:localhost|127\\.0\\.0\\.1)(?::{_PORT})?"
#: Cloud metadata services reachable by name: never an Idura domain or a management host.
METADATA_HOSTS = "metadata|metadata\\.google\\.internal|metadata\\.azure\\.com|instance-data(?:\\.ec2\\.internal)?"
_URL_REST = '[!"$-~]*'  # visible ASCII except '#': a path and query, no fragment
_PATH = '[!"$->@-~]*'  # visible ASCII except '#' and '?': a path only
#: The path of an AWS endpoint: unreserved characters and slashes only. It reaches Terraform's provider block,
#: where `$`, `%{`, quotes and parentheses have no business (they would be template or expression syntax).
_ENDPOINT_PATH = "[A-Za-z0-9._~/-]*"
#: The host of an application's URL: a DNS name in any case (no IP address), with an optional port.
_URL_HOST = f"(?:{_ANY_CASE_LABEL}\\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?(?::{_PORT})?"
_SCOPE = "[!#-\\[\\]-~]"  # OAuth scope characters (RFC 6749): visible ASCII except '"' and '\'


@dataclass(frozen=True)
class Rule:
    """One value rule. ``key`` is the config key (``[]`` marks a list item, ``{}`` a map key or value)."""

    key: str
    allowed: str  # what is allowed, as the end of "use ...": shown in every refusal
    pattern: str | None = None
    max_length: int | None = None  # only with ASCII-only patterns (see the module docstring)
    choices: tuple[str, ...] = ()
    forbid: str | None = None  # refused when this pattern matches the whole value (case-insensitive)
    forbid_reason: str = ""
    hcl: str | None = None  # module accessor: "var.x", "var.obj.attr", "var.list[*].attr", "var.map{}"
    query: str | None = None  # the external program's query key
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def problem(self, value: object) -> str | None:
        """None when ``value`` is allowed, else one line: the value (short, sanitized) and what is allowed."""
        if not isinstance(value, str):
            return f"must be a string; use {self.allowed}"
        if not self.matches(value):
            return f"{short(value)} is not allowed: use {self.allowed}"
        if self.forbid and self._regex("forbid").fullmatch(value):
            return f"{short(value)} is not allowed: {self.forbid_reason}"
        return None

    def matches(self, value: str) -> bool:
        if self.choices:
            return value in self.choices
        if self.max_length is not None and len(value) > self.max_length:
            return False
        return self.pattern is None or self._regex("pattern").fullmatch(value) is not None

    def _regex(self, which: str) -> re.Pattern[str]:
        if which not in self._compiled:
            source = self.pattern if which == "pattern" else self.forbid
            self._compiled[which] = re.compile(source or "", re.IGNORECASE if which == "forbid" else 0)
        return self._compiled[which]


def short(value: str, limit: int = 40) -> str:
    """A refused value as it may appear in an error: at most ``limit`` characters, escapes for the rest."""
    text = value if len(value) <= limit else value[:limit] + "..."
    return repr(text)


def _rule(key: str, allowed: str, **kwargs) -> Rule:
    return Rule(key, allowed, **kwargs)


_IDP_NAME = dict(
    allowed="3-32 characters without spaces, not starting or ending with an underscore",
    pattern=f"{_VISIBLE_NOT_UNDERSCORE}{VISIBLE}{_VISIBLE_NOT_UNDERSCORE}{{1,30}}",
    forbid="cognito|google|facebook|loginwithamazon|signinwithapple",
    forbid_reason="the name is reserved by Cognito for a built-in provider; choose another",
)
_CALLBACK_URL = dict(
    allowed="https:// URLs (http:// only for localhost), or a mobile app's reverse-DNS custom scheme such as "
    "com.acme.app://callback, without fragment, credentials or spaces",
    # A custom scheme needs a dot (reverse DNS, as Apple and AppAuth advise): so no http:, javascript:, data: or
    # file: URL can pass as one (Terraform's RE2 has no look-ahead to exclude them otherwise).
    pattern=(
        f"https://(?:{_URL_HOST}|{LOOPBACK})(?:[/?]{_URL_REST})?|http://{LOOPBACK}(?:[/?]{_URL_REST})?"
        f"|[a-z][a-z0-9+-]*(?:\\.[a-z0-9+-]+)+:/{{1,2}}{_URL_REST}"
    ),
    max_length=1024,
)
#: The key of an app client in [stacks.<env>.app_clients.<key>]: a Terraform name part.
_CLIENT_KEY = dict(allowed="1-32 lowercase letters, digits, hyphens and underscores, starting with a letter",
                   pattern="[a-z][a-z0-9_-]{0,31}")  # fmt: skip

#: The table. Order is the order of the config reference.
RULES: tuple[Rule, ...] = (
    _rule(
        "stack",
        "1-32 lowercase letters, digits and hyphens, starting with a letter",
        pattern="[a-z][a-z0-9-]{0,31}",
        hcl="var.stack_name",
    ),
    _rule(
        "aws.region",
        "an AWS region name like eu-north-1",
        pattern="[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}",
        max_length=32,
        hcl="var.aws_region",
    ),
    _rule(
        "aws.endpoint_url",
        "http://127.0.0.1:PORT or http://localhost:PORT (a local emulator), or an https:// "
        "endpoint URL without credentials, query or fragment",
        pattern=f"http://{LOOPBACK}/?|https://(?:{DNS_NAME}(?::{_PORT})?|{LOOPBACK})(?:/{_ENDPOINT_PATH})?",
        max_length=1024,
    ),
    _rule(
        "idura.domain",
        "a lowercase DNS name like acme-corp.idura.broker (no scheme, path, port or IP "
        "address), or localhost:PORT / 127.0.0.1:PORT for a local emulator",
        pattern=f"{DNS_NAME}|{LOOPBACK}",
        max_length=253,
        forbid=METADATA_HOSTS,
        forbid_reason="it is a cloud metadata service, not an Idura domain",
        hcl="var.idura_domain",
        query="idura_domain",
    ),
    _rule(
        "idura.client_id",
        "1-255 visible ASCII characters (no spaces), e.g. urn:idura:acme:cognito:prod",
        pattern="[!-~]{1,255}",
        hcl="var.client_id",
        query="client_id",
    ),
    _rule(
        "idura.application_name",
        "1-100 characters without control characters, not starting or ending with a space",
        pattern=f"{VISIBLE}(?:{TEXT}{{0,98}}{VISIBLE})?",
        hcl="var.application_name",
        query="application_name",
    ),
    _rule(
        "idura.secret_source",
        "'hand-registered' or 'managed'",
        choices=("hand-registered", "managed"),
        hcl="var.secret_source",
    ),
    _rule(
        "user_pool.name",
        "1-128 letters, digits, spaces and _+=,.@- (no space first or last)",
        pattern="[A-Za-z0-9_+=,.@-](?:[A-Za-z0-9_ +=,.@-]{0,126}[A-Za-z0-9_+=,.@-])?",
        hcl="var.user_pool.name",
    ),
    _rule(
        "user_pool.existing_id",
        "a Cognito user pool id like eu-north-1_AbCdEf123",
        pattern="[A-Za-z0-9-]+_[0-9A-Za-z]+",
        max_length=55,
        hcl="var.user_pool.existing_id",
    ),
    _rule(
        "user_pool.pre_sign_up_lambda_arn",
        "a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>, optionally :<alias or version>)",
        pattern="arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_-]{1,128})?",
        hcl="var.user_pool.pre_sign_up_lambda_arn",
    ),
    _rule(
        "domain.prefix",
        "1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen",
        pattern=_LABEL,
        forbid="(?:.*)(?:aws|amazon|cognito)(?:.*)",
        forbid_reason="Cognito refuses prefixes containing aws, amazon or cognito",
        hcl="var.domain.prefix",
    ),
    _rule(
        "domain.custom",
        "a lowercase DNS name like login.acme.com",
        pattern=DNS_NAME,
        max_length=253,
        hcl="var.domain.custom",
    ),
    _rule(
        "domain.certificate_arn",
        "an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>)",
        pattern="arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]{1,64}",
        hcl="var.domain.certificate_arn",
    ),
    _rule(
        "domain.existing",
        "a domain prefix (acme-login) or a custom host (login.acme.com) already on the pool",
        pattern=f"{_LABEL}|{DNS_NAME}",
        max_length=253,
        hcl="var.domain.existing",
    ),
    _rule("identity_provider.name", **_IDP_NAME, hcl="var.identity_provider.name"),
    _rule(
        "identity_provider.scopes[]",
        "OAuth scopes of visible ASCII without quotes or backslashes",
        pattern=f"{_SCOPE}{{1,256}}",
        hcl="var.identity_provider.scopes[]",
    ),
    _rule(
        "identity_provider.attributes{}",
        "a standard user pool attribute (name, given_name, birthdate, ...) "
        "or custom:<1-20 letters, digits, underscores>",
        pattern="custom:[A-Za-z0-9_]{1,20}|address|birthdate|email|email_verified|family_name|gender|"
        "given_name|locale|middle_name|name|nickname|phone_number|phone_number_verified|picture|"
        "preferred_username|profile|updated_at|website|zoneinfo|username",
        hcl="var.identity_provider.attributes{key}",
    ),
    _rule(
        "identity_provider.attributes{}=",
        "a claim name of 1-128 visible ASCII characters",
        pattern="[!-~]{1,128}",
        hcl="var.identity_provider.attributes{value}",
    ),
    _rule(
        "identity_provider.login_hint_eids[]",
        "an acr value of the urn: form, e.g. urn:grn:authn:dk:mitid:substantial",
        pattern="urn:[a-z0-9][a-z0-9._-]*(?::[a-z0-9][a-z0-9._-]*)*",
        max_length=255,
        forbid="urn:grn:authn:fi:.*|urn:age-verification.*",
        forbid_reason="Finnish Trust Network and age verification cannot log in through Cognito (README, eIDs "
        "through Cognito)",
        hcl="var.identity_provider.login_hint_eids[]",
    ),
    _rule("pinned_eids[].name", **_IDP_NAME, hcl="var.pinned_eids[].name"),
    _rule(
        "pinned_eids[].acr",
        "an acr value of the urn: form, e.g. urn:grn:authn:dk:mitid:substantial",
        pattern="urn:[a-z0-9][a-z0-9._-]*(?::[a-z0-9][a-z0-9._-]*)*",
        max_length=255,
        hcl="var.pinned_eids[].acr",
    ),
    _rule(
        "pinned_eids[].scopes[]",
        "OAuth scopes of visible ASCII without quotes or backslashes",
        pattern=f"{_SCOPE}{{1,256}}",
        hcl="var.pinned_eids[].scopes[]",
    ),
    _rule(
        "app_client.name",
        "1-128 letters, digits, spaces and _+=,.@- (no space first or last)",
        pattern="[A-Za-z0-9_+=,.@-](?:[A-Za-z0-9_ +=,.@-]{0,126}[A-Za-z0-9_+=,.@-])?",
        hcl="var.app_client.name",
    ),
    _rule("app_clients{}", **_CLIENT_KEY, hcl="var.app_clients{key}"),
    _rule("app_client.renamed_from", **_CLIENT_KEY),
    _rule("app_client.callback_urls[]", **_CALLBACK_URL, hcl="var.app_client.callback_urls[]"),
    _rule("app_client.logout_urls[]", **_CALLBACK_URL, hcl="var.app_client.logout_urls[]"),
    _rule("app_client.default_redirect_uri", **_CALLBACK_URL, hcl="var.app_client.default_redirect_uri"),
    _rule("app_client.sign_out", **_CALLBACK_URL, hcl="var.app_client.sign_out", query="post_logout_uris[]"),
    _rule("app_client.identity_providers[]", **_IDP_NAME, hcl="var.app_client.identity_providers[]"),
    _rule(
        "app_client.oauth_scopes[]",
        "openid, email, phone, profile, aws.cognito.signin.user.admin or a resource-server scope 'server/scope'",
        pattern=f"openid|email|phone|profile|aws\\.cognito\\.signin\\.user\\.admin|{_SCOPE}*/{_SCOPE}*",
        max_length=256,
        hcl="var.app_client.oauth_scopes[]",
    ),
    _rule(
        "existing_resource_servers[]",
        "a resource server identifier (1-256 visible ASCII characters without quotes or backslashes)",
        pattern=f"{_SCOPE}{{1,256}}",
        hcl="var.existing_resource_servers[]",
    ),
    _rule(
        "tags{}",
        "tag keys of 1-128 letters, digits, spaces and _.:/=+@- (no space first or last), not starting with aws:",
        pattern="[A-Za-z0-9_.:/=+@-](?:[A-Za-z0-9 _.:/=+@-]{0,126}[A-Za-z0-9_.:/=+@-])?",
        forbid="aws:.*",
        forbid_reason="the aws: prefix is AWS's own",
        hcl="var.tags{key}",
    ),
    _rule(
        "tags{}=",
        "tag values of 0-256 letters, digits, spaces and _.:/=+@-",
        pattern="[A-Za-z0-9 _.:/=+@-]{0,256}",
        hcl="var.tags{value}",
    ),
    _rule(
        "escrow.kms_key_id",
        "a KMS key id, key ARN, alias (alias/name) or alias ARN",
        pattern="(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:)?(?:key/)?(?:mrk-[0-9a-f]{32}|[0-9a-f-]{36}|"
        "alias/[A-Za-z0-9/_-]{1,250})",
        max_length=2048,
        hcl="var.escrow_kms_key_id",
    ),
    _rule(
        "adopt.app_client_id",
        "a Cognito app client id (1-128 letters, digits, _ and +)",
        pattern="[A-Za-z0-9_+]{1,128}",
    ),
    _rule("backend.type", "'local', 's3' or 'cloud'", choices=("local", "s3", "cloud")),
    _rule(
        "backend.path",
        "a file path of 1-1024 characters",
        pattern=f"{VISIBLE}(?:{TEXT}{{0,1000}})?",
        max_length=1024,
    ),
    _rule(
        "backend.bucket",
        "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
        pattern="[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
        forbid=".*\\.\\..*",
        forbid_reason="no two dots in a row",
    ),
    _rule(
        "backend.key",
        "an S3 object key of 1-1024 visible characters",
        pattern=f"{VISIBLE}{{1,1000}}",
        max_length=1024,
    ),
    _rule(
        "backend.region",
        "an AWS region name like eu-north-1",
        pattern="[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}",
        max_length=32,
    ),
    _rule(
        "backend.dynamodb_table",
        "a DynamoDB table name: 3-255 letters, digits and _.-",
        pattern="[A-Za-z0-9_.-]{3,255}",
    ),
    _rule(
        "backend.kms_key_id",
        "a KMS key id, key ARN, alias or alias ARN",
        pattern="(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:)?(?:key/)?(?:mrk-[0-9a-f]{32}|[0-9a-f-]{36}|"
        "alias/[A-Za-z0-9/_-]{1,250})",
        max_length=2048,
    ),
    _rule(
        "backend.organization",
        "a Terraform Cloud organization name (letters, digits, - and _)",
        pattern="[A-Za-z0-9_-]{1,90}",
    ),
    _rule(
        "backend.workspace",
        "a Terraform Cloud workspace name (letters, digits, - and _)",
        pattern="[A-Za-z0-9_-]{1,90}",
    ),
    _rule("backend.project", "a Terraform Cloud project name of 1-90 characters", pattern=f"{VISIBLE}{{1,90}}"),
    _rule("backend.hostname", "a lowercase DNS name like app.terraform.io", pattern=DNS_NAME, max_length=253),
    _rule(
        "IDURA_MANAGEMENT_URL",
        "an https:// URL without credentials, query or fragment, on a DNS name (or loopback for the emulator)",
        pattern=f"https://(?:{DNS_NAME}(?::{_PORT})?|{LOOPBACK})(?:/{_PATH})?",
        max_length=2048,
        forbid=f"https://(?:{METADATA_HOSTS})(?:[:/].*)?",
        forbid_reason="it is a cloud metadata service",
    ),
    # The program's own query keys.
    _rule(
        "redirect_url",
        "exactly a Cognito redirect URL: https://<cognito domain>/oauth2/idpresponse",
        pattern=f"https://{DNS_NAME}{re.escape(COGNITO_REDIRECT_PATH)}",
        max_length=300,
        query="redirect_uris[]",
    ),
    _rule(
        "cognito_host",
        "the stack's Cognito domain: <prefix>.auth.<region>.amazoncognito.com or its custom domain",
        pattern=DNS_NAME,
        max_length=253,
        query="cognito_host",
    ),
    _rule(
        "escrow_arn",
        "the escrow's Secrets Manager ARN",
        pattern="(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,600})?",
        query="escrow_arn",
    ),
    _rule("have_secret", '"true" or "false"', choices=("true", "false"), query="have_secret"),
    _rule(
        "escrowed_secret_id",
        "up to 128 letters, digits, '.', '_' or '-'",
        pattern="[A-Za-z0-9_.-]{0,128}",
        query="escrowed_secret_id",
    ),
)

RULE: dict[str, Rule] = {rule.key: rule for rule in RULES}

#: The only form of a Cognito prefix domain's host (RE2 has no look-around to say "and no other amazoncognito.com
#: host" in the pattern, so the program checks this after the rule).
COGNITO_PREFIX_HOST = re.compile(
    f"{_LABEL}\\.auth\\.[a-z]{{2}}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{{1,2}}\\.amazoncognito\\.com"
)


def cognito_host_problem(host: str) -> str | None:
    """A host under amazoncognito.com that is not exactly ``<prefix>.auth.<region>.amazoncognito.com``."""
    if (host == "amazoncognito.com" or host.endswith(".amazoncognito.com")) and not COGNITO_PREFIX_HOST.fullmatch(host):
        return (
            f"{short(host)} is not allowed: an amazoncognito.com host is exactly "
            "<prefix>.auth.<region>.amazoncognito.com"
        )
    return None


QUERY_RULES: dict[str, Rule] = {rule.query: rule for rule in RULES if rule.query}


def forbidden_character(value: str) -> str | None:
    """The first character no configured value may hold, as an escape such as '\\n', or None."""
    match = re.search(f"[{FORBIDDEN_CHARACTERS}]", value)
    return None if match is None else repr(match.group())[1:-1]


@dataclass(frozen=True)
class Constraint:
    """A rule over several values of one table or list; the loader and the module both enforce it.

    ``kind``: ``one_of`` (exactly one of ``fields`` is set), ``together`` (all of ``fields`` or none),
    ``includes`` (the list holds ``value``), ``count`` (the list has ``minimum``..``maximum`` items),
    ``unique`` (the ``fields`` of the list's items, case-insensitive, are distinct), ``excludes`` (no value of
    the list items' ``fields`` starts with one of ``prefixes``).
    """

    kind: str
    key: str
    message: str
    fields: tuple[str, ...] = ()
    value: str = ""
    minimum: int = 0
    maximum: int = 0
    hcl: str | None = None
    #: unique: another value (its module accessor) that joins the check, e.g. the Idura provider's name.
    also_hcl: str | None = None
    prefixes: tuple[str, ...] = ()


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        "one_of",
        "user_pool",
        "set exactly one of name (create a pool) and existing_id (use a pool)",
        fields=("name", "existing_id"),
        hcl="var.user_pool",
    ),
    Constraint(
        "one_of",
        "domain",
        "set exactly one of prefix, custom (with certificate_arn) and existing",
        fields=("prefix", "custom", "existing"),
        hcl="var.domain",
    ),
    Constraint(
        "together",
        "domain",
        "custom and certificate_arn go together",
        fields=("custom", "certificate_arn"),
        hcl="var.domain",
    ),
    Constraint(
        "includes",
        "identity_provider.scopes",
        "must include 'openid' (Cognito's OIDC federation needs it)",
        value="openid",
        hcl="var.identity_provider.scopes",
    ),
    Constraint(
        "includes",
        "app_client.oauth_scopes",
        "must include 'openid' to receive an id token",
        value="openid",
        hcl="var.app_client.oauth_scopes",
    ),
    Constraint(
        "count",
        "app_client.callback_urls",
        "needs 1-100 URLs (Cognito's limit)",
        minimum=1,
        maximum=100,
        hcl="var.app_client.callback_urls",
    ),
    Constraint(
        "count",
        "app_client.logout_urls",
        "takes at most 100 URLs (Cognito's limit)",
        maximum=100,
        hcl="var.app_client.logout_urls",
    ),
    Constraint(
        "unique",
        "pinned_eids",
        "identity provider names must be unique (case-insensitive), including identity_provider.name",
        fields=("name",),
        hcl="var.pinned_eids",
        also_hcl="var.identity_provider.name",
    ),
    Constraint("unique", "pinned_eids", "each acr value may be pinned once", fields=("acr",), hcl="var.pinned_eids"),
    Constraint(
        "excludes",
        "pinned_eids",
        "Finnish Trust Network (urn:grn:authn:fi:...) and age verification cannot log in through Cognito (README, "
        "eIDs through Cognito)",
        fields=("acr",),
        prefixes=("urn:grn:authn:fi:", "urn:age-verification"),
        hcl="var.pinned_eids",
    ),
    Constraint(
        "includes",
        "pinned_eids[].scopes",
        "must include 'openid' (Cognito's OIDC federation needs it)",
        value="openid",
        hcl="var.pinned_eids[].scopes",
    ),
)
