"""Every config key, once: its type, default, what it does and what is allowed.

One entry per key of a stack table (``[defaults]`` and ``[stacks.<name>]`` hold the same keys). The table drives:
- the reader (``schema.py`` asks it for each key's type, rule and default);
- the model's defaults (``model.py`` takes them from here);
- the module's ``variables.tf`` (``devtools/module_files.py`` builds each object variable's attributes, with
  ``optional(type, default)``, and its description from here);
- the configuration reference in docs/configuration.md (``devtools/project_docs.py``).
``tests/unit/test_fields.py`` fails when any of them disagrees with this table.

Keys: ``user_pool.name``; ``[]`` marks an item of a list (``app_client.callback_urls[]``), ``{}`` a key of a
table and ``{}=`` its value (``tags{}``). ``hcl``: the module variable attribute that carries the key (for the
object variables ``user_pool``, ``domain``, ``identity_provider`` and ``app_client``), with its HCL type.

Defaults of settings a created resource needs are the product's (a pool lets nobody sign up); a setting whose
default is ``None`` is not managed until the config says so: a created resource gets Cognito's default, an
adopted one keeps what it has (``idura-cognito adopt`` writes what exists into the config).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from idura_verify.program.rules import RULE, Rule

#: A required key (no default).
REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()


@dataclass(frozen=True)
class Api:
    """Where Cognito holds a field's value, for adopt and the doctor: ``path`` in the described resource
    (``.`` for nested keys; ``source`` "pool", "mfa" or "client"), ``label`` for people, ``read`` the value as the
    config holds it (None: not set there), ``immutable`` when Cognito cannot change it after creation."""

    path: str
    label: str
    source: str = "client"
    read: Callable[[Any], Any] | None = None
    immutable: bool = False

    def value(self, described: dict[str, Any]) -> Any:
        node: Any = described
        for part in self.path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return self.read(node) if self.read else node


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # string, strings, bool, int, map, tables, choice
    default: Any
    shown: str  # the README's default column
    description: str  # what the key does (module variable descriptions and docs)
    rule: str | None = None  # the value rule of a string (or of each item), idura_verify.rules
    choices: tuple[Any, ...] = ()  # choice and int keys: the allowed values (ints: (minimum, maximum))
    allowed: str = ""  # the README's allowed column when there is no rule
    hcl: str | None = None  # the module variable attribute ("user_pool.self_sign_up") that carries it
    hcl_type: str = ""  # its HCL type ("bool", "list(string)", ...)
    example: Any = None  # a valid value (tests set every key to its example)
    cognito: Api | None = None  # where Cognito holds it (adopt, the doctor's drift check); set below

    @property
    def table(self) -> str:
        return self.key.split(".")[0]

    @property
    def name(self) -> str:
        """The key inside its table (``callback_urls`` for ``app_client.callback_urls[]``)."""
        return self.key.split(".", 1)[-1].removesuffix("[]").removesuffix("{}").removesuffix("{}=")

    @property
    def value_rule(self) -> Rule | None:
        return RULE[self.rule] if self.rule else None

    @property
    def allowed_text(self) -> str:
        if self.rule:
            return RULE[self.rule].allowed
        return self.allowed


def _f(key: str, kind: str, default: Any, shown: str, description: str, **more: Any) -> Field:
    return Field(key, kind, default, shown, description, **more)


_UNITS = ("seconds", "minutes", "hours", "days")
#: The units Cognito reads token lifetimes in when none is given. Written into the units block for a token whose
#: unit the config leaves out (the provider would validate that lifetime as 0 seconds otherwise).
COGNITO_TOKEN_UNITS = {"access_token": "hours", "id_token": "hours", "refresh_token": "days"}
_AUTH_FLOWS = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
)

FIELDS: tuple[Field, ...] = (
    _f("stack", "table", REQUIRED, "one table per environment", "An environment.", rule="stack"),
    # -- aws -------------------------------------------------------------------------------------------------
    _f(
        "aws.region",
        "string",
        REQUIRED,
        "required",
        "AWS region of the user pool.",
        rule="aws.region",
        example="eu-north-1",
    ),
    _f(
        "aws.endpoint_url",
        "string",
        None,
        "real AWS",
        "Send every AWS call here (moto, LocalStack).",
        rule="aws.endpoint_url",
        example="http://127.0.0.1:4566",
    ),
    _f(
        "aws.allow_unlisted_region",
        "bool",
        False,
        "`false`",
        "Accept a region the installed AWS SDK does not list (newer than it); a typo is refused otherwise.",
        allowed="`true` / `false`",
        example=True,
    ),
    # -- idura -----------------------------------------------------------------------------------------------
    _f(
        "idura.domain",
        "string",
        REQUIRED,
        "required",
        "The Idura domain.",
        rule="idura.domain",
        example="acme-corp.idura.broker",
    ),
    _f(
        "idura.client_id",
        "string",
        REQUIRED,
        "required",
        "The application's client id (realm).",
        rule="idura.client_id",
        example="urn:idura:acme:dev",
    ),
    _f(
        "idura.application_name",
        "string",
        None,
        "`AWS Cognito (<stack>)`",
        "Name of the application at Idura.",
        rule="idura.application_name",
        example="Acme login",
    ),
    _f(
        "idura.secret_source",
        "string",
        "hand-registered",
        "`hand-registered`",
        "How the client secret reaches the escrow.",
        rule="idura.secret_source",
        example="managed",
    ),
    # -- user_pool -------------------------------------------------------------------------------------------
    _f(
        "user_pool.name",
        "string",
        None,
        "one of name / existing_id",
        "Name of a pool the product creates.",
        rule="user_pool.name",
        hcl="user_pool.name",
        hcl_type="string",
        example="acme-dev",
    ),
    _f(
        "user_pool.existing_id",
        "string",
        None,
        "one of name / existing_id",
        "Id of a pool managed elsewhere.",
        rule="user_pool.existing_id",
        hcl="user_pool.existing_id",
        hcl_type="string",
    ),
    _f(
        "user_pool.deletion_protection",
        "bool",
        False,
        "`false`",
        "Refuse deletion of the pool.",
        allowed="`true` / `false`; created pools only",
        hcl="user_pool.deletion_protection",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "user_pool.username_case_sensitive",
        "bool",
        False,
        "`false`",
        "User names are case-sensitive (cannot change after creation).",
        allowed="`true` / `false`; created pools only (Cognito cannot change it later)",
        hcl="user_pool.username_case_sensitive",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "user_pool.self_sign_up",
        "bool",
        False,
        "`false` (only administrators create users)",
        "Users may sign up themselves (Cognito's allow_admin_create_user_only = false).",
        allowed="`true` / `false`; created pools only",
        hcl="user_pool.self_sign_up",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "user_pool.mfa",
        "choice",
        "off",
        "`off`",
        "Multi-factor authentication: off, optional or on.",
        choices=("off", "optional", "on"),
        allowed="`off`, `optional` or `on` (with `mfa_totp`); created pools only",
        hcl="user_pool.mfa",
        hcl_type="string",
        example="optional",
    ),
    _f(
        "user_pool.mfa_totp",
        "bool",
        False,
        "`false`",
        "Authenticator apps (TOTP) as an MFA method.",
        allowed="`true` / `false`; created pools only",
        hcl="user_pool.mfa_totp",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "user_pool.auto_verified_attributes[]",
        "strings",
        (),
        "`[]`",
        "Attributes Cognito verifies by sending a code.",
        choices=("email", "phone_number"),
        allowed="`email`, `phone_number`; created pools only",
        hcl="user_pool.auto_verified_attributes",
        hcl_type="list(string)",
        example=("email",),
    ),
    _f(
        "user_pool.username_attributes[]",
        "strings",
        (),
        "`[]`",
        "Sign in with these instead of a user name (cannot change after creation).",
        choices=("email", "phone_number"),
        allowed="`email`, `phone_number`; created pools only (Cognito cannot change it later)",
        hcl="user_pool.username_attributes",
        hcl_type="list(string)",
        example=("email",),
    ),
    _f(
        "user_pool.alias_attributes[]",
        "strings",
        (),
        "`[]`",
        "Sign in with these besides the user name (cannot change after creation).",
        choices=("email", "phone_number", "preferred_username"),
        allowed="`email`, `phone_number`, `preferred_username`; created pools only (Cognito cannot change it later)",
        hcl="user_pool.alias_attributes",
        hcl_type="list(string)",
    ),
    _f(
        "user_pool.link_federated_users",
        "bool",
        True,
        "`true` (created pools)",
        "One person is one user: a pre sign-up trigger links a new federated identity to the user the same person "
        "already is through another of the stack's Idura identity providers (docs/linking.md).",
        allowed="`true` / `false`; created pools only",
        hcl="user_pool.link_federated_users",
        hcl_type="bool",
        example=False,
    ),
    _f(
        "user_pool.pre_sign_up_lambda_arn",
        "string",
        None,
        "none",
        "A pre sign-up trigger of your own for a created pool, kept as it is (adopt writes the one it finds); it "
        "takes the linking trigger's place (docs/linking.md).",
        rule="user_pool.pre_sign_up_lambda_arn",
        hcl="user_pool.pre_sign_up_lambda_arn",
        hcl_type="string",
        example="arn:aws:lambda:eu-north-1:123456789012:function:acme-pre-sign-up",
    ),
    # -- domain ----------------------------------------------------------------------------------------------
    _f(
        "domain.prefix",
        "string",
        None,
        "one of prefix / custom / existing",
        "`<prefix>.auth.<region>.amazoncognito.com`.",
        rule="domain.prefix",
        hcl="domain.prefix",
        hcl_type="string",
        example="acme-dev-login",
    ),
    _f(
        "domain.custom",
        "string",
        None,
        "with certificate_arn",
        "A custom domain such as login.acme.com.",
        rule="domain.custom",
        hcl="domain.custom",
        hcl_type="string",
    ),
    _f(
        "domain.certificate_arn",
        "string",
        None,
        "with custom",
        "ACM certificate (us-east-1) of the custom domain.",
        rule="domain.certificate_arn",
        hcl="domain.certificate_arn",
        hcl_type="string",
    ),
    _f(
        "domain.existing",
        "string",
        None,
        "",
        "A domain already on the pool (nothing created).",
        rule="domain.existing",
        hcl="domain.existing",
        hcl_type="string",
    ),
    _f(
        "domain.managed_login_version",
        "int",
        1,
        "`1`",
        "1 classic hosted UI, 2 managed login (CDK Terrain creates Cognito's default branding style per client).",
        choices=(1, 2),
        allowed="`1` classic hosted UI, `2` managed login; created domains only; `2` needs CDK Terrain (AWS "
        "provider 6 creates its branding styles) unless adopt took the domain over",
        hcl="domain.managed_login_version",
        hcl_type="number",
        example=2,
    ),
    # -- identity_provider -------------------------------------------------------------------------------------
    _f(
        "identity_provider.name",
        "string",
        "Idura",
        "`Idura`",
        "Name of the Cognito identity provider.",
        rule="identity_provider.name",
        hcl="identity_provider.name",
        hcl_type="string",
        example="eID",
    ),
    _f(
        "identity_provider.scopes[]",
        "strings",
        ("openid",),
        '`["openid"]`; must include `openid`',
        "Scopes Cognito asks Idura for.",
        rule="identity_provider.scopes[]",
        hcl="identity_provider.scopes",
        hcl_type="list(string)",
        example=("openid", "ssn"),
    ),
    _f(
        "identity_provider.attributes{}",
        "map",
        {},
        '`{username = "sub"}` plus yours',
        "User pool attribute => Idura claim, added to username => sub.",
        rule="identity_provider.attributes{}",
        hcl="identity_provider.attributes",
        hcl_type="map(string)",
        example={"name": "name"},
    ),
    _f("identity_provider.attributes{}=", "map", {}, "", "The Idura claim.", rule="identity_provider.attributes{}="),
    _f(
        "identity_provider.login_hint_eids[]",
        "strings",
        (),
        "none",
        "acr values to output a login URL for through this provider, the eID chosen with "
        "`login_hint=acr_values:<acr>` (the `login_hint_urls` output; docs/login-hint.md).",
        rule="identity_provider.login_hint_eids[]",
        hcl="identity_provider.login_hint_eids",
        hcl_type="list(string)",
        example=("urn:grn:authn:dk:mitid:substantial", "urn:grn:authn:no:bankid"),
    ),
    # -- pinned eIDs -----------------------------------------------------------------------------------------
    _f(
        "pinned_eids[].name",
        "string",
        REQUIRED,
        "none pinned",
        "Name of the eID's identity provider.",
        rule="pinned_eids[].name",
    ),
    _f(
        "pinned_eids[].acr",
        "string",
        REQUIRED,
        "documented values below; another `urn:` value warns",
        "The eID's acr value.",
        rule="pinned_eids[].acr",
    ),
    _f(
        "pinned_eids[].scopes[]",
        "strings",
        None,
        "`identity_provider.scopes`; must include `openid`",
        "Scopes Cognito asks Idura for when this eID logs in (Freja, iDIN, the Personalausweis and OneID need "
        "their own; the acr table says which).",
        rule="pinned_eids[].scopes[]",
        example=("openid", "frejaid:email_address"),
    ),
    _f(
        "pinned_eids[].attributes{}",
        "map",
        None,
        "`identity_provider.attributes`",
        "User pool attribute => the claim this eID sends, or `@national_id` / `@person_id` for the claim that carries "
        "the eID's national id number or stable person identifier (the acr table says which).",
        rule="identity_provider.attributes{}",
        example={"custom:national_id": "@national_id"},
    ),
    _f("pinned_eids[].attributes{}=", "map", {}, "", "The claim.", rule="identity_provider.attributes{}="),
    # -- app clients: [stacks.<env>.app_clients.<key>] (or the one [app_client] of 0.3) --------------------------
    _f(
        "app_clients{}",
        "table",
        REQUIRED,
        "one table per client",
        "An app client; its key names it in Terraform (and is its default name).",
        rule="app_clients{}",
    ),
    _f(
        "app_client.name",
        "string",
        "idura-cognito",
        "the client's key (`idura-cognito` for `[app_client]`)",
        "Name of the app client.",
        rule="app_client.name",
        hcl="app_client.name",
        hcl_type="string",
        example="acme-web",
    ),
    _f(
        "app_client.callback_urls[]",
        "strings",
        (),
        "required for a login client (`code`, `implicit`), 1-100",
        "Callback URLs of the code flow.",
        rule="app_client.callback_urls[]",
        hcl="app_client.callback_urls",
        hcl_type="list(string)",
        example=("https://app.acme.com/callback",),
    ),
    _f(
        "app_client.logout_urls[]",
        "strings",
        (),
        "`[]`",
        "Sign-out URLs.",
        rule="app_client.logout_urls[]",
        hcl="app_client.logout_urls",
        hcl_type="list(string)",
        example=("https://app.acme.com/",),
    ),
    _f(
        "app_client.default_redirect_uri",
        "string",
        None,
        "not managed",
        "The callback URL Cognito uses when a request names none; one of `callback_urls`.",
        rule="app_client.default_redirect_uri",
        hcl="app_client.default_redirect_uri",
        hcl_type="string",
        example="https://app.acme.com/callback",
    ),
    _f(
        "app_client.oauth_scopes[]",
        "strings",
        ("openid",),
        '`["openid"]`',
        "OAuth scopes apps may ask for.",
        rule="app_client.oauth_scopes[]",
        hcl="app_client.oauth_scopes",
        hcl_type="list(string)",
        example=("openid", "profile"),
    ),
    _f(
        "app_client.generate_secret",
        "bool",
        False,
        "`false`",
        "A confidential client (cannot change later).",
        allowed="`true` for a confidential app client (Cognito cannot change it later)",
        hcl="app_client.generate_secret",
        hcl_type="bool",
    ),
    _f(
        "app_client.oauth_flows[]",
        "strings",
        ("code",),
        '`["code"]`',
        "OAuth flows: `code` (with PKCE for a public client), `client_credentials` (a confidential backend), or the "
        "discouraged `implicit`.",
        choices=("code", "implicit", "client_credentials"),
        allowed="`code`, `implicit`, `client_credentials`; a public client cannot use `client_credentials`",
        hcl="app_client.oauth_flows",
        hcl_type="list(string)",
        example=("code",),
    ),
    _f(
        "app_client.identity_providers[]",
        "strings",
        None,
        "every identity provider of the stack",
        "The stack's identity providers this client offers (by name).",
        rule="app_client.identity_providers[]",
        hcl="app_client.identity_providers",
        hcl_type="list(string)",
    ),
    _f(
        "app_client.sign_out",
        "string",
        None,
        "none",
        "Where the browser lands after signing out of Cognito and of Idura; the client's sign-out URL ends both.",
        rule="app_client.sign_out",
        hcl="app_client.sign_out",
        hcl_type="string",
        example="https://app.acme.com/signed-out",
    ),
    _f(
        "app_client.renamed_from",
        "string",
        None,
        "none",
        "The key this client had: the plan moves it (the client id stays) instead of replacing it.",
        rule="app_client.renamed_from",
    ),
    _f(
        "app_client.cognito_login",
        "bool",
        False,
        "`false`",
        "Also offer Cognito's own user name and password login (the COGNITO provider) on the hosted pages.",
        allowed="`true` / `false`",
        hcl="app_client.cognito_login",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "app_client.access_token_validity",
        "int",
        None,
        "Cognito's (60 minutes)",
        "Access token lifetime, in `token_validity_units.access_token`.",
        choices=(1, 86400),
        allowed="1-86400, in its unit",
        hcl="app_client.access_token_validity",
        hcl_type="number",
        example=1,
    ),
    _f(
        "app_client.id_token_validity",
        "int",
        None,
        "Cognito's (60 minutes)",
        "Id token lifetime, in `token_validity_units.id_token`.",
        choices=(1, 86400),
        allowed="1-86400, in its unit",
        hcl="app_client.id_token_validity",
        hcl_type="number",
        example=1,
    ),
    _f(
        "app_client.refresh_token_validity",
        "int",
        None,
        "Cognito's (30 days)",
        "Refresh token lifetime, in `token_validity_units.refresh_token`.",
        choices=(1, 315360000),
        allowed="1-315360000, in its unit",
        hcl="app_client.refresh_token_validity",
        hcl_type="number",
        example=30,
    ),
    _f(
        "app_client.token_validity_units.access_token",
        "choice",
        None,
        "`hours`",
        "Unit of access_token_validity.",
        choices=_UNITS,
        allowed="`seconds`, `minutes`, `hours` or `days`",
        hcl="app_client.access_token_unit",
        hcl_type="string",
        example="minutes",
    ),
    _f(
        "app_client.token_validity_units.id_token",
        "choice",
        None,
        "`hours`",
        "Unit of id_token_validity.",
        choices=_UNITS,
        allowed="`seconds`, `minutes`, `hours` or `days`",
        hcl="app_client.id_token_unit",
        hcl_type="string",
        example="minutes",
    ),
    _f(
        "app_client.token_validity_units.refresh_token",
        "choice",
        None,
        "`days`",
        "Unit of refresh_token_validity.",
        choices=_UNITS,
        allowed="`seconds`, `minutes`, `hours` or `days`",
        hcl="app_client.refresh_token_unit",
        hcl_type="string",
        example="days",
    ),
    _f(
        "app_client.explicit_auth_flows[]",
        "strings",
        None,
        "Cognito's (SRP, refresh, custom)",
        "Sign-in flows besides the hosted login.",
        choices=_AUTH_FLOWS,
        allowed=", ".join(f"`{f}`" for f in _AUTH_FLOWS),
        hcl="app_client.explicit_auth_flows",
        hcl_type="list(string)",
        example=("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
    ),
    _f(
        "app_client.prevent_user_existence_errors",
        "choice",
        None,
        "Cognito's (`LEGACY`)",
        "ENABLED hides whether a user exists.",
        choices=("ENABLED", "LEGACY"),
        allowed="`ENABLED` or `LEGACY`",
        hcl="app_client.prevent_user_existence_errors",
        hcl_type="string",
        example="ENABLED",
    ),
    _f(
        "app_client.enable_token_revocation",
        "bool",
        None,
        "Cognito's (`true`)",
        "Refresh tokens can be revoked.",
        allowed="`true` / `false`",
        hcl="app_client.enable_token_revocation",
        hcl_type="bool",
        example=True,
    ),
    _f(
        "app_client.auth_session_validity",
        "int",
        None,
        "Cognito's (3 minutes)",
        "Minutes a sign-in session lasts.",
        choices=(3, 15),
        allowed="3-15 minutes",
        hcl="app_client.auth_session_validity",
        hcl_type="number",
        example=5,
    ),
    _f(
        "app_client.read_attributes[]",
        "strings",
        None,
        "Cognito's (all)",
        "Attributes the client may read.",
        rule="identity_provider.attributes{}",
        hcl="app_client.read_attributes",
        hcl_type="list(string)",
        example=("email", "name"),
    ),
    _f(
        "app_client.write_attributes[]",
        "strings",
        None,
        "Cognito's (all writable)",
        "Attributes the client may write.",
        rule="identity_provider.attributes{}",
        hcl="app_client.write_attributes",
        hcl_type="list(string)",
        example=("name",),
    ),
    _f(
        "existing_resource_servers[]",
        "strings",
        (),
        "`[]` (the product creates every resource server a client's scope names)",
        "Resource servers managed elsewhere: their `server/scope` scopes are used, not created.",
        rule="existing_resource_servers[]",
        example=("https://api.acme.com",),
    ),
    # -- tags, escrow, adopt ---------------------------------------------------------------------------------
    _f(
        "tags{}",
        "map",
        {},
        "`{}` (plus `managed-by = idura-cognito`)",
        "Tags on the pool and the escrow.",
        rule="tags{}",
        example={"team": "identity"},
    ),
    _f("tags{}=", "map", {}, "", "Tag values.", rule="tags{}="),
    _f(
        "escrow.kms_key_id",
        "string",
        None,
        "the AWS managed key",
        "KMS key of the escrow.",
        rule="escrow.kms_key_id",
        example="alias/escrow",
    ),
    _f(
        "adopt.user_pool_id",
        "string",
        None,
        "written by `idura-cognito adopt`",
        "Pool to import.",
        rule="user_pool.existing_id",
        allowed="as `user_pool.existing_id`",
    ),
    _f(
        "adopt.domain",
        "string",
        None,
        "written by `idura-cognito adopt`",
        "Domain to import.",
        rule="domain.existing",
        allowed="as `domain.existing`",
    ),
    _f(
        "adopt.identity_providers[]",
        "strings",
        (),
        "written by `idura-cognito adopt`",
        "Providers to import.",
        rule="identity_provider.name",
        allowed="as `identity_provider.name`",
    ),
    _f(
        "adopt.app_clients{}",
        "map",
        {},
        "written by `idura-cognito adopt`",
        "Client key => the id of the app client to import as it.",
        rule="app_clients{}",
    ),
    _f("adopt.app_clients{}=", "map", {}, "", "The app client's id.", rule="adopt.app_client_id"),
    # -- backend ---------------------------------------------------------------------------------------------
    _f("backend.type", "string", "local", "`local`", "Where the state lives.", rule="backend.type"),
    _f(
        "backend.path",
        "string",
        None,
        "CDKTF: `terraform.<stack>.tfstate`; a rendered root: `terraform.tfstate` in its folder",
        "local: the state file, relative to the config's folder (set, both renderings share it).",
        rule="backend.path",
    ),
    _f("backend.bucket", "string", None, "required for s3", "s3: bucket.", rule="backend.bucket"),
    _f("backend.key", "string", None, "required for s3", "s3: object key.", rule="backend.key"),
    _f("backend.region", "string", None, "required for s3", "s3: bucket region.", rule="backend.region"),
    _f(
        "backend.use_lockfile",
        "bool",
        True,
        "`true`",
        "s3: lock with a lock file next to the state.",
        allowed="s3: lock with a lock file next to the state",
    ),
    _f(
        "backend.dynamodb_table",
        "string",
        None,
        "none (`use_lockfile` locks)",
        "s3: legacy lock table.",
        rule="backend.dynamodb_table",
    ),
    _f(
        "backend.encrypt",
        "bool",
        True,
        "`true`",
        "s3: server-side encryption of the state.",
        allowed="s3: server-side encryption of the state (it holds the client secret)",
    ),
    _f("backend.kms_key_id", "string", None, "none", "s3: KMS key of the state.", rule="backend.kms_key_id"),
    _f(
        "backend.organization",
        "string",
        None,
        "required for cloud",
        "cloud: organization.",
        rule="backend.organization",
    ),
    _f("backend.workspace", "string", None, "required for cloud", "cloud: workspace.", rule="backend.workspace"),
    _f("backend.project", "string", None, "the organization's default", "cloud: project.", rule="backend.project"),
    _f("backend.hostname", "string", None, "`app.terraform.io`", "cloud: host.", rule="backend.hostname"),
)


def _sorted(value: Any) -> list | None:
    return sorted(value) if value is not None else None


def _unit(default: str) -> Callable[[Any], Any]:
    return lambda unit: None if unit in (None, default) else unit


#: Where Cognito holds each field adopt keeps (DescribeUserPool, GetUserPoolMfaConfig, DescribeUserPoolClient).
_COGNITO: dict[str, Api] = {
    "user_pool.username_case_sensitive": Api(
        "UsernameConfiguration.CaseSensitive", "user name case sensitivity", "pool",
        lambda v: True if v is None else bool(v), immutable=True,
    ),
    "user_pool.username_attributes[]": Api("UsernameAttributes", "sign-in attributes", "pool",
                                           lambda v: sorted(v or []), immutable=True),
    "user_pool.alias_attributes[]": Api("AliasAttributes", "alias attributes", "pool", lambda v: sorted(v or []),
                                        immutable=True),
    "user_pool.self_sign_up": Api("AdminCreateUserConfig.AllowAdminCreateUserOnly", "self sign-up", "pool",
                                  lambda v: not (True if v is None else v)),
    "user_pool.deletion_protection": Api("DeletionProtection", "deletion protection", "pool",
                                         lambda v: v == "ACTIVE"),
    "user_pool.mfa": Api("MfaConfiguration", "MFA", "mfa", lambda v: str(v or "OFF").lower()),
    "user_pool.mfa_totp": Api("SoftwareTokenMfaConfiguration.Enabled", "authenticator app MFA", "mfa", bool),
    "user_pool.auto_verified_attributes[]": Api("AutoVerifiedAttributes", "verified attributes", "pool",
                                                lambda v: sorted(v or [])),
    "user_pool.pre_sign_up_lambda_arn": Api("LambdaConfig.PreSignUp", "pre sign-up trigger", "pool"),
    "app_client.generate_secret": Api("ClientSecret", "client secret", read=bool, immutable=True),
    "app_client.name": Api("ClientName", "name"),
    "app_client.callback_urls[]": Api("CallbackURLs", "callback URLs", read=lambda v: sorted(v or [])),
    "app_client.logout_urls[]": Api("LogoutURLs", "logout URLs", read=lambda v: sorted(v or [])),
    "app_client.default_redirect_uri": Api("DefaultRedirectURI", "default redirect URI"),
    "app_client.oauth_scopes[]": Api("AllowedOAuthScopes", "OAuth scopes", read=lambda v: sorted(v or [])),
    "app_client.oauth_flows[]": Api("AllowedOAuthFlows", "OAuth flows", read=lambda v: sorted(v or [])),
    "app_client.cognito_login": Api("SupportedIdentityProviders", "Cognito's own login",
                                    read=lambda v: "COGNITO" in (v or [])),
    "app_client.access_token_validity": Api("AccessTokenValidity", "access token lifetime"),
    "app_client.id_token_validity": Api("IdTokenValidity", "id token lifetime"),
    "app_client.refresh_token_validity": Api("RefreshTokenValidity", "refresh token lifetime"),
    "app_client.token_validity_units.access_token": Api("TokenValidityUnits.AccessToken", "access token lifetime unit",
                                                        read=_unit(COGNITO_TOKEN_UNITS["access_token"])),
    "app_client.token_validity_units.id_token": Api("TokenValidityUnits.IdToken", "id token lifetime unit",
                                                    read=_unit(COGNITO_TOKEN_UNITS["id_token"])),
    "app_client.token_validity_units.refresh_token": Api("TokenValidityUnits.RefreshToken",
                                                         "refresh token lifetime unit",
                                                         read=_unit(COGNITO_TOKEN_UNITS["refresh_token"])),
    "app_client.explicit_auth_flows[]": Api("ExplicitAuthFlows", "auth flows", read=_sorted),
    "app_client.read_attributes[]": Api("ReadAttributes", "readable attributes", read=_sorted),
    "app_client.write_attributes[]": Api("WriteAttributes", "writable attributes", read=_sorted),
    "app_client.prevent_user_existence_errors": Api("PreventUserExistenceErrors", "user existence errors"),
    "app_client.enable_token_revocation": Api("EnableTokenRevocation", "token revocation"),
    "app_client.auth_session_validity": Api("AuthSessionValidity", "sign-in session minutes"),
}  # fmt: skip
FIELDS = tuple(dataclasses.replace(f, cognito=_COGNITO[f.key]) if f.key in _COGNITO else f for f in FIELDS)

FIELD: dict[str, Field] = {field.key: field for field in FIELDS}


def default(key: str) -> Any:
    """The default of ``key`` (for the model's dataclasses): lists become tuples, tables copies."""
    value = FIELD[key].default
    return dict(value) if isinstance(value, dict) else value


def in_table(table: str) -> list[Field]:
    return [field for field in FIELDS if field.table == table]
