"""The validated configuration of one environment (one CDKTF stack / one rendered root config).

Derived values (hosts, URLs, the escrow name) are computed here and nowhere else, so the CDKTF stack, the
HCL renderer, the CLI and the doctor all agree on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from idura_verify.program import oidc

from ..definitions import naming
from .fields import default

SecretSource = Literal["hand-registered", "managed"]


@dataclass(frozen=True)
class AwsSettings:
    region: str
    #: Send every AWS call here instead of AWS (moto server, LocalStack). Default: real AWS.
    endpoint_url: str | None = default("aws.endpoint_url")
    #: Accept a region the installed AWS SDK does not list yet (newer than it). Default false: a typo is refused.
    allow_unlisted_region: bool = default("aws.allow_unlisted_region")


@dataclass(frozen=True)
class IduraSettings:
    #: The Idura domain, e.g. ``acme-corp.idura.broker``. Required.
    domain: str
    #: The application's client id (Idura also calls it realm). Required.
    client_id: str
    #: Name of the application at Idura. Default: ``"AWS Cognito (<stack>)"``.
    application_name: str
    #: How the client secret reaches the escrow. Default ``"hand-registered"``: ``idura-cognito secret put``.
    #: ``"managed"``: the external program creates the application and issues the secret during the plan.
    secret_source: SecretSource = default("idura.secret_source")

    @property
    def managed(self) -> bool:
        return self.secret_source == "managed"

    @property
    def issuer(self) -> str:
        return oidc.issuer(self.domain)


@dataclass(frozen=True)
class UserPoolSettings:
    #: Name of a pool the product creates. Exactly one of ``name`` and ``existing_id``.
    name: str | None = None
    #: Id of a pool managed elsewhere; the product only adds the IdPs, app client (and domain if asked).
    existing_id: str | None = None
    #: Refuse deletion of a created pool. Default false.
    deletion_protection: bool = default("user_pool.deletion_protection")
    #: Created pools only: user names are case-sensitive. Default false (Cognito's recommendation). Cannot be
    #: changed on an existing pool: an adopted pool keeps the value it was created with.
    username_case_sensitive: bool = default("user_pool.username_case_sensitive")
    #: Users may sign up themselves. Default false: federated users and administrators only.
    self_sign_up: bool = default("user_pool.self_sign_up")
    #: "off" (default), "optional" or "on"; not "off" needs ``mfa_totp``.
    mfa: str = default("user_pool.mfa")
    #: Authenticator apps (TOTP) as an MFA method. Default false.
    mfa_totp: bool = default("user_pool.mfa_totp")
    #: Attributes Cognito verifies by a code. Default none.
    auto_verified_attributes: tuple[str, ...] = default("user_pool.auto_verified_attributes[]")
    #: Sign in with these instead of a user name / besides it. Cannot change after creation. Default none.
    username_attributes: tuple[str, ...] = default("user_pool.username_attributes[]")
    alias_attributes: tuple[str, ...] = default("user_pool.alias_attributes[]")
    #: Created pools: link a person's second federated identity to the user they already are (docs/linking.md).
    #: Default true; always false for an existing pool (its triggers are not the product's).
    link_federated_users: bool = default("user_pool.link_federated_users")
    #: Created pools: a pre sign-up trigger of the team's own, kept as it is (it replaces the linking trigger).
    pre_sign_up_lambda_arn: str | None = None

    @property
    def is_existing(self) -> bool:
        return self.existing_id is not None


@dataclass(frozen=True)
class DomainSettings:
    #: ``<prefix>.auth.<region>.amazoncognito.com``. Exactly one of prefix, custom, existing.
    prefix: str | None = None
    #: A custom domain such as ``login.acme.com``, with ``certificate_arn`` (ACM, us-east-1).
    custom: str | None = None
    certificate_arn: str | None = None
    #: A domain that already exists on the pool: a prefix (``acme``) or a custom host (``login.acme.com``).
    existing: str | None = None
    #: 1 = classic hosted UI (default), 2 = managed login (needs a branding style).
    managed_login_version: int = default("domain.managed_login_version")

    @property
    def kind(self) -> Literal["prefix", "custom", "existing"]:
        if self.prefix is not None:
            return "prefix"
        return "custom" if self.custom is not None else "existing"

    @property
    def cognito_domain(self) -> str:
        """The value Cognito calls ``Domain``: a prefix or a custom host."""
        return self.prefix or self.custom or self.existing or ""

    def host(self, region: str) -> str:
        domain = self.cognito_domain
        return domain if "." in domain else f"{domain}.auth.{region}.amazoncognito.com"


@dataclass(frozen=True)
class PinnedEid:
    #: Cognito IdP name shown to apps, e.g. ``MitID``.
    name: str
    #: The eID's acr value, e.g. ``urn:grn:authn:dk:mitid:substantial``.
    acr: str
    #: Scopes Cognito asks Idura for when this eID logs in. Default: None, the identity provider's scopes.
    scopes: tuple[str, ...] | None = None
    #: User pool attribute -> the claim this eID sends (``@national_id``/``@person_id`` resolved by the loader).
    #: Default: None, the identity provider's mapping.
    attributes: dict[str, str] | None = None

    @property
    def terraform_name(self) -> str:
        """Resource name of its IdP in the CDKTF stack (``eid_mitid``)."""
        return naming.pinned_eid_resource(self.name)


@dataclass(frozen=True)
class IdentityProviderSettings:
    #: Name of the Cognito IdP that offers every eID on the domain. Default ``"Idura"``.
    name: str = default("identity_provider.name")
    #: Scopes Cognito asks Idura for. Default ``["openid"]``.
    scopes: tuple[str, ...] = default("identity_provider.scopes[]")
    #: User pool attribute -> Idura claim. ``username <- sub`` is always present unless overridden.
    attributes: dict[str, str] = field(default_factory=lambda: {"username": "sub"})
    #: acr values the ``login_hint_urls`` output gives a login URL for: this provider, the eID chosen per login
    #: with ``login_hint=acr_values:<acr>`` (docs/login-hint.md). Default: none.
    login_hint_eids: tuple[str, ...] = default("identity_provider.login_hint_eids[]")


@dataclass(frozen=True)
class IdentityProvider:
    """One Cognito identity provider of the stack as Cognito holds it: the picker (``acr`` None) or a pinned eID,
    with the scopes and attribute mapping it is given. Both renderings and the doctor read these."""

    name: str
    acr: str | None
    scopes: tuple[str, ...]
    attributes: dict[str, str]


#: The key of the one client a 0.3 config's ``[app_client]`` table describes: its Terraform address is the one
#: 0.3 gave the client (CDKTF ``aws_cognito_user_pool_client.app_client``; the module moves its unkeyed resource).
LEGACY_CLIENT = "default"


@dataclass(frozen=True)
class AppClientSettings:
    #: Required for a client that signs people in (code, implicit flows); none for client credentials alone.
    callback_urls: tuple[str, ...] = default("app_client.callback_urls[]")
    #: The key of [app_clients.<key>]: it names the client in Terraform. ``LEGACY_CLIENT`` for ``[app_client]``.
    key: str = LEGACY_CLIENT
    #: Default: no logout URLs.
    logout_urls: tuple[str, ...] = default("app_client.logout_urls[]")
    default_redirect_uri: str | None = default("app_client.default_redirect_uri")
    #: Default ``"idura-cognito"``.
    name: str = default("app_client.name")
    #: Default ``["openid"]``.
    oauth_scopes: tuple[str, ...] = default("app_client.oauth_scopes[]")
    #: A confidential client (Cognito generates its secret). Default false: a public client. Cannot change later.
    generate_secret: bool = default("app_client.generate_secret")
    #: Also offer Cognito's own user name and password login (the COGNITO provider). Default false.
    cognito_login: bool = default("app_client.cognito_login")
    #: Token lifetimes in their units, and the units. None: not managed (Cognito's default on a created client,
    #: the current value on an adopted one).
    access_token_validity: int | None = default("app_client.access_token_validity")
    id_token_validity: int | None = default("app_client.id_token_validity")
    refresh_token_validity: int | None = default("app_client.refresh_token_validity")
    access_token_unit: str | None = default("app_client.token_validity_units.access_token")
    id_token_unit: str | None = default("app_client.token_validity_units.id_token")
    refresh_token_unit: str | None = default("app_client.token_validity_units.refresh_token")
    #: Sign-in flows besides the hosted login, e.g. ALLOW_USER_SRP_AUTH. None: not managed.
    explicit_auth_flows: tuple[str, ...] | None = default("app_client.explicit_auth_flows[]")
    #: ENABLED or LEGACY. None: not managed.
    prevent_user_existence_errors: str | None = default("app_client.prevent_user_existence_errors")
    enable_token_revocation: bool | None = default("app_client.enable_token_revocation")
    #: Minutes (3-15). None: not managed.
    auth_session_validity: int | None = default("app_client.auth_session_validity")
    read_attributes: tuple[str, ...] | None = default("app_client.read_attributes[]")
    write_attributes: tuple[str, ...] | None = default("app_client.write_attributes[]")
    #: code (default), implicit, client_credentials.
    oauth_flows: tuple[str, ...] = default("app_client.oauth_flows[]")
    #: Names of the stack's identity providers offered. None: every one (and COGNITO with ``cognito_login``).
    identity_providers: tuple[str, ...] | None = default("app_client.identity_providers[]")
    #: Where the browser lands after the sign-out URL ended Cognito's and Idura's sessions. None: no sign-out URL.
    sign_out: str | None = default("app_client.sign_out")
    #: The key this client had before: the renderings move it instead of replacing it.
    renamed_from: str | None = default("app_client.renamed_from")

    @property
    def terraform_name(self) -> str:
        """Its resource name in the CDKTF stack: ``app_client`` for the legacy client (0.3's address), else
        ``app_client_<key>``; the module keys ``aws_cognito_user_pool_client.app_client`` by ``key``."""
        return "app_client" if self.key == LEGACY_CLIENT else naming.client_resource(self.key)

    @property
    def units_managed(self) -> bool:
        """The token_validity_units block is written only when the config names a unit."""
        return any(u is not None for u in (self.access_token_unit, self.id_token_unit, self.refresh_token_unit))


@dataclass(frozen=True)
class EscrowSettings:
    #: KMS key (id, ARN or alias) that encrypts the escrow. Default: the account's aws/secretsmanager key.
    kms_key_id: str | None = None


@dataclass(frozen=True)
class AdoptSettings:
    """A login built by hand (Idura's guide) that Terraform takes over: import ids, written by ``adopt``.

    Each resource named here is imported by the first plan (Terraform ``import`` blocks); none is replaced.
    Default: nothing to adopt.
    """

    user_pool_id: str | None = None
    #: The pool's domain: a prefix or a custom host.
    domain: str | None = None
    #: Names of the identity providers to import (the Idura one and pinned eIDs).
    identity_providers: tuple[str, ...] = ()
    #: Client key -> the Cognito id of the client to import as it (0.3's ``app_client_id`` is the first client's).
    app_clients: dict[str, str] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.user_pool_id is not None


@dataclass(frozen=True)
class BackendSettings:
    #: ``local`` (default), ``s3``, or ``cloud`` (Terraform Cloud / HCP Terraform).
    type: Literal["local", "s3", "cloud"] = "local"
    #: local: state file path, relative to the config's folder; set, both renderings share it. Default: the CDKTF
    #: stack's ``terraform.<stack>.tfstate`` there, and a rendered root's ``terraform.tfstate`` in its own folder.
    path: str | None = None
    bucket: str | None = None
    key: str | None = None
    region: str | None = None
    #: s3: S3-native state locking (Terraform 1.10+). Default true.
    use_lockfile: bool = default("backend.use_lockfile")
    #: s3: legacy DynamoDB locking table. Default: none.
    dynamodb_table: str | None = None
    #: s3: server-side encryption of the state (which holds the client secret). Default true.
    encrypt: bool = default("backend.encrypt")
    kms_key_id: str | None = None
    #: cloud: organization and workspace name (required), project and hostname (default app.terraform.io).
    organization: str | None = None
    workspace: str | None = None
    project: str | None = None
    hostname: str | None = None


@dataclass(frozen=True)
class StackConfig:
    name: str
    aws: AwsSettings
    idura: IduraSettings
    user_pool: UserPoolSettings
    domain: DomainSettings
    identity_provider: IdentityProviderSettings
    #: The app clients, in config order (at least one).
    app_clients: tuple[AppClientSettings, ...]
    pinned_eids: tuple[PinnedEid, ...] = ()
    backend: BackendSettings = field(default_factory=BackendSettings)
    #: Tags on every taggable resource (the user pool and the escrow). Default: none.
    tags: dict[str, str] = field(default_factory=dict)
    escrow: EscrowSettings = field(default_factory=EscrowSettings)
    adopt: AdoptSettings = field(default_factory=AdoptSettings)
    #: Resource servers managed elsewhere, by identifier: their scopes are used, not created.
    existing_resource_servers: tuple[str, ...] = ()
    #: The config file's folder: ``backend.path`` is relative to it. Set by the loader; None: the working folder.
    project_dir: Path | None = field(default=None, compare=False)

    @property
    def app_client(self) -> AppClientSettings:
        """The first client with a login (callback URLs), else the first: the one the stack's single-client
        outputs (``app_client_id``, ``hosted_login_urls``) describe, as they described 0.3's one client."""
        return next((c for c in self.app_clients if c.callback_urls), self.app_clients[0])

    def offered_providers(self, client: AppClientSettings) -> tuple[str, ...]:
        """The identity provider names ``client`` offers (COGNITO first when it offers Cognito's own login)."""
        names = client.identity_providers if client.identity_providers is not None else self.idp_names
        return (("COGNITO",) if client.cognito_login else ()) + tuple(names)

    @property
    def mapped_attributes(self) -> tuple[str, ...]:
        """Every user pool attribute some identity provider writes on login (not the user name)."""
        found = {a for idp in self.identity_providers for a in idp.attributes if a != "username"}
        return tuple(sorted(found))

    @property
    def custom_attributes(self) -> tuple[str, ...]:
        """Names (without ``custom:``) of the custom attributes the mappings need: declared on a created pool."""
        return tuple(sorted(a.removeprefix("custom:") for a in self.mapped_attributes if a.startswith("custom:")))

    @property
    def resource_servers(self) -> dict[str, tuple[str, ...]]:
        """Resource server identifier -> its scope names, for every ``server/scope`` a client asks for and no
        existing resource server holds: the product creates these."""
        found: dict[str, set[str]] = {}
        for client in self.app_clients:
            for scope in client.oauth_scopes:
                if "/" in scope:
                    server, _, name = scope.rpartition("/")
                    if server not in self.existing_resource_servers:
                        found.setdefault(server, set()).add(name)
        return {server: tuple(sorted(names)) for server, names in sorted(found.items())}

    @property
    def cognito_host(self) -> str:
        return self.domain.host(self.aws.region)

    @property
    def redirect_url(self) -> str:
        """The URL to register at Idura: Cognito's IdP response endpoint."""
        return f"https://{self.cognito_host}{oidc.COGNITO_REDIRECT_PATH}"

    @property
    def idp_names(self) -> tuple[str, ...]:
        return (self.identity_provider.name, *(eid.name for eid in self.pinned_eids))

    @property
    def identity_providers(self) -> tuple[IdentityProvider, ...]:
        """The picker, then each pinned eID (with its own scopes where it has them)."""
        picker = self.identity_provider
        pins = (
            IdentityProvider(
                eid.name,
                eid.acr,
                eid.scopes or picker.scopes,
                {"username": "sub", **eid.attributes} if eid.attributes is not None else dict(picker.attributes),
            )
            for eid in self.pinned_eids
        )
        return (IdentityProvider(picker.name, None, picker.scopes, dict(picker.attributes)), *pins)

    @property
    def links_federated_users(self) -> bool:
        """The stack adds the linking trigger (docs/linking.md): a pool it creates, with more than one Idura
        identity provider (one person could become two users), and no pre sign-up trigger of the team's."""
        pool = self.user_pool
        return (
            pool.link_federated_users
            and not pool.is_existing
            and pool.pre_sign_up_lambda_arn is None
            and len(self.idp_names) > 1
        )

    @property
    def escrow_name(self) -> str:
        return naming.escrow_name(self.idura.domain, self.idura.client_id)

    def secret_put_command(self) -> str:
        return f"idura-cognito secret put --stack {self.name}"


@dataclass(frozen=True)
class ProjectConfig:
    source: str
    stacks: dict[str, StackConfig]
    #: One line each, e.g. an acr value Idura does not document; the CLI prints them on stderr.
    warnings: tuple[str, ...] = ()

    @property
    def project_dir(self) -> Path:
        """The folder of the config file: relative paths in it (backend.path) are relative to it."""
        return Path(self.source).resolve().parent

    def stack(self, name: str) -> StackConfig:
        from .errors import ConfigError

        if name not in self.stacks:
            known = ", ".join(sorted(self.stacks)) or "(none)"
            raise ConfigError("stacks", f"no stack named {name!r}; the config defines: {known}", self.source)
        return self.stacks[name]
