"""Take over a login built by hand (Idura's Cognito guide, or the AWS console): keep every setting that works.

Pure functions over an injected boto3-style Cognito client. ``discover`` reads what exists: the pool (with its
MFA settings), its domain, the OIDC identity providers that point at the stack's Idura domain and client id, and
the app client that offers them. ``decide`` compares it, setting by setting, with the config and returns:

- ``write``: config lines for every setting the product's resources manage that the config does not state: the
  current value, so the first plan keeps it (self sign-up, MFA, token lifetimes and their units, auth flows, the
  managed login version, the identity provider's scopes and attribute mapping, ...);
- ``refuse``: settings that cannot be kept: one that cannot change after creation and differs from the config
  (Terraform would replace the pool: every user lost), or one the product does not manage but its resources
  would reset (Lambda triggers, SMS MFA, threat protection, ...). One line each: the setting, its value, and the
  config line or the console change that decides it;
- ``changes``: what the first plan will change, each stated ("will change app client acme-web: callback URLs
  [...] -> [...] (from idura-cognito.toml)"): values the config states explicitly, and the product's tags.
Nothing else changes: tests/integration/test_adopt.py asserts the first plan's exact list of changed attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config.fields import COGNITO_TOKEN_UNITS
from .config.model import StackConfig
from .definitions import naming

#: (config key, value) the product writes for a custom attribute it declares (stacks/user_pool.py).
_PRODUCT_CUSTOM_ATTRIBUTE = {"AttributeDataType": "String", "Mutable": True, "MinLength": "0", "MaxLength": "2048"}
_DEFAULT_UNITS = {
    "AccessToken": COGNITO_TOKEN_UNITS["access_token"],
    "IdToken": COGNITO_TOKEN_UNITS["id_token"],
    "RefreshToken": COGNITO_TOKEN_UNITS["refresh_token"],
}


class AdoptError(Exception):
    """What exists cannot be adopted at all; the message says why and what to do."""


@dataclass
class ExistingLogin:
    """What adopt found in AWS: the pool, its MFA settings, its domain (and, set later, the app client)."""

    user_pool_id: str
    pool: dict[str, Any]
    mfa: dict[str, Any]
    domain: str | None
    managed_login_version: int | None = None
    #: Cognito IdP name -> its description (ProviderDetails holds the client secret: never printed).
    identity_providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    app_client_id: str | None = None
    app_client: dict[str, Any] = field(default_factory=dict)

    @property
    def secret(self) -> str | None:
        secrets = {p.get("ProviderDetails", {}).get("client_secret", "") for p in self.identity_providers.values()}
        return next(iter(secrets)) if len(secrets) == 1 and "" not in secrets else None


@dataclass(frozen=True)
class Difference:
    """A managed setting whose value in Cognito is not the config's."""

    key: str  # the config key
    resource: str  # "app client acme-web"
    label: str  # "callback URLs"
    current: Any
    configured: Any

    def shown(self) -> str:
        return (
            f"{self.resource}: {self.label} is {_show(self.current)} in Cognito, {_show(self.configured)} in the config"
        )


@dataclass
class Decision:
    write: dict[str, Any] = field(default_factory=dict)  # field key -> value, for [stacks.<env>]
    refuse: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    #: The config states these and Cognito holds another value (the doctor reports them as drift).
    differences: list[Difference] = field(default_factory=list)


def discover(cognito: Any, stack: StackConfig, user_pool_id: str, app_client_name: str | None = None) -> ExistingLogin:
    pool = cognito.describe_user_pool(UserPoolId=user_pool_id)["UserPool"]
    mfa = cognito.get_user_pool_mfa_config(UserPoolId=user_pool_id)
    domain = pool.get("CustomDomain") or pool.get("Domain")
    found = ExistingLogin(user_pool_id, pool, mfa, domain)
    if domain:
        described = cognito.describe_user_pool_domain(Domain=domain).get("DomainDescription") or {}
        found.managed_login_version = described.get("ManagedLoginVersion")
    for provider in cognito.list_identity_providers(UserPoolId=user_pool_id, MaxResults=60)["Providers"]:
        if provider.get("ProviderType") != "OIDC":
            continue
        name = provider["ProviderName"]
        described = cognito.describe_identity_provider(UserPoolId=user_pool_id, ProviderName=name)["IdentityProvider"]
        details = described.get("ProviderDetails", {})
        if (
            details.get("oidc_issuer", "").rstrip("/") == stack.idura.issuer
            and details.get("client_id") == stack.idura.client_id
        ):
            found.identity_providers[name] = described
    for summary in cognito.list_user_pool_clients(UserPoolId=user_pool_id, MaxResults=60)["UserPoolClients"]:
        client = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=summary["ClientId"])[
            "UserPoolClient"
        ]
        offers = set(client.get("SupportedIdentityProviders", [])) & set(found.identity_providers)
        if (app_client_name and client["ClientName"] == app_client_name) or (not app_client_name and offers):
            found.app_client_id, found.app_client = client["ClientId"], client
            break
    return found


def decide(stack: StackConfig, found: ExistingLogin, explicit: set[str], source: str) -> Decision:
    """Setting by setting: write what exists, refuse what cannot be kept, state what will change.

    ``explicit``: the field keys the config states for this stack (in its table or in [defaults]).
    """
    if not found.identity_providers:
        raise AdoptError(
            f"pool {found.user_pool_id} has no OIDC identity provider with issuer {stack.idura.issuer} and client id "
            f"{stack.idura.client_id}: check idura.domain and idura.client_id"
        )
    decision = Decision()
    _Setting.source = source
    if not stack.user_pool.is_existing:
        _pool(stack, found, explicit, decision)
    if stack.domain.kind != "existing" and found.domain:
        _domain(stack, found, explicit, decision)
    _identity_providers(stack, found, explicit, decision)
    if found.app_client:
        _app_client(stack, found, explicit, decision)
    return decision


class _Setting:
    """Write the current value when the config does not state the key; state the change when it does."""

    source = "idura-cognito.toml"

    def __init__(self, explicit: set[str], decision: Decision) -> None:
        self.explicit, self.decision = explicit, decision

    def keep(self, key: str, current: Any, configured: Any, resource: str, label: str) -> None:
        if key not in self.explicit:
            if current is None:  # not set on what exists: nothing to write down (TOML has no null)
                if configured is not None:
                    self.decision.changes.append(f"will set {resource}: {label} -> {_show(configured)} (the default)")
                return
            if configured is None or current != configured:
                self.decision.write[key] = current  # written down, so this and every later plan keeps it
            return
        if configured is not None and current != configured:
            self.decision.changes.append(
                f"will change {resource}: {label} {_show(current)} -> {_show(configured)} (from {self.source})"
            )
            self.decision.differences.append(Difference(key, resource, label, current, configured))

    def immutable(self, key: str, current: Any, configured: Any, why: str) -> None:
        """Cannot change after creation: written when the config is silent, refused when it differs."""
        if current == configured:
            return
        if key not in self.explicit:
            self.decision.write[key] = current
        else:
            self.decision.refuse.append(
                f"{key} is {_show(current)} on what exists and {_show(configured)} in the config: {why}; "
                f"write {key} = {_show(current)}"
            )


def _pool(stack: StackConfig, found: ExistingLogin, explicit: set[str], decision: Decision) -> None:
    pool, settings = found.pool, stack.user_pool
    keep = _Setting(explicit, decision)
    resource = f"user pool {pool['Name']}"
    if pool["Name"] != settings.name:
        decision.refuse.append(
            f"user_pool.name is {pool['Name']!r} on what exists and {settings.name!r} in the config: a new name "
            f'would replace the pool (every user lost); write user_pool.name = "{pool["Name"]}"'
        )
    required = sorted(a["Name"] for a in pool.get("SchemaAttributes", []) if a.get("Required") and a["Name"] != "sub")
    if required:
        raise AdoptError(
            f"pool {found.user_pool_id} requires {', '.join(required)}: eID logins fail against it and required "
            "attributes can never change, so it cannot be adopted; make a new pool"
        )
    case = pool.get("UsernameConfiguration", {}).get("CaseSensitive")
    never = "Cognito cannot change it after creation, and a plan would replace the pool"
    keep.immutable(
        "user_pool.username_case_sensitive",
        True if case is None else bool(case),
        settings.username_case_sensitive,
        never,
    )
    keep.immutable(
        "user_pool.username_attributes[]",
        sorted(pool.get("UsernameAttributes") or []),
        sorted(settings.username_attributes),
        never,
    )
    keep.immutable(
        "user_pool.alias_attributes[]",
        sorted(pool.get("AliasAttributes") or []),
        sorted(settings.alias_attributes),
        never,
    )
    mapped = set(stack.identity_provider.custom_attributes) | _mapped_custom(found)
    for attribute in pool.get("SchemaAttributes", []):
        name = attribute["Name"]
        if not name.startswith("custom:"):
            continue
        declared = {
            "AttributeDataType": attribute.get("AttributeDataType"),
            "Mutable": attribute.get("Mutable"),
            "MinLength": (attribute.get("StringAttributeConstraints") or {}).get("MinLength"),
            "MaxLength": (attribute.get("StringAttributeConstraints") or {}).get("MaxLength"),
        }
        if name.removeprefix("custom:") not in mapped or declared != _PRODUCT_CUSTOM_ATTRIBUTE:
            decision.refuse.append(
                f"the pool declares {name} ({_show(declared)}), which the product would not declare the same way "
                "(it declares each mapped custom: attribute as a mutable string of 0-2048), and Cognito cannot "
                "change or remove it: map it in identity_provider.attributes if it is one, or keep this pool out"
            )
    keep.keep(
        "user_pool.self_sign_up",
        not pool.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly", True),
        settings.self_sign_up,
        resource,
        "self sign-up",
    )
    keep.keep(
        "user_pool.deletion_protection",
        pool.get("DeletionProtection", "INACTIVE") == "ACTIVE",
        settings.deletion_protection,
        resource,
        "deletion protection",
    )
    mfa = str(found.mfa.get("MfaConfiguration", pool.get("MfaConfiguration", "OFF"))).lower()
    keep.keep("user_pool.mfa", mfa, settings.mfa, resource, "MFA")
    totp = bool((found.mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"))
    keep.keep("user_pool.mfa_totp", totp, settings.mfa_totp, resource, "authenticator app MFA")
    keep.keep(
        "user_pool.auto_verified_attributes[]",
        sorted(pool.get("AutoVerifiedAttributes") or []),
        sorted(settings.auto_verified_attributes),
        resource,
        "verified attributes",
    )
    _unmanaged_pool_settings(found, decision)
    tags = {**stack.tags, **naming.MANAGED_BY_TAG}
    if (pool.get("UserPoolTags") or {}) != tags:
        decision.changes.append(
            f"will change {resource}: tags {_show(pool.get('UserPoolTags') or {})} -> {_show(tags)}"
        )


def _unmanaged_pool_settings(found: ExistingLogin, decision: Decision) -> None:
    """Settings the product does not manage but its pool resource would reset when it is updated."""
    pool, mfa = found.pool, found.mfa
    checks = (
        (pool.get("LambdaConfig"), "Lambda triggers", "remove them in the console"),
        (
            (pool.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF") != "OFF" and pool["UserPoolAddOns"],
            "threat protection (advanced security)",
            "turn it off in the console",
        ),
        (
            mfa.get("SmsMfaConfiguration"),
            "SMS MFA",
            "turn it off in the console (TOTP MFA is managed: user_pool.mfa_totp)",
        ),
        (mfa.get("EmailMfaConfiguration"), "email MFA", "turn it off in the console"),
        (
            (pool.get("EmailConfiguration") or {}).get("EmailSendingAccount") == "DEVELOPER"
            and pool["EmailConfiguration"],
            "email through Amazon SES",
            "switch to Cognito's email in the console",
        ),
        (
            (pool.get("DeviceConfiguration") or {}).get("ChallengeRequiredOnNewDevice")
            or (pool.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt"),
            "device tracking",
            "turn it off in the console",
        ),
        (
            (pool.get("UserAttributeUpdateSettings") or {}).get("AttributesRequireVerificationBeforeUpdate"),
            "keeping the old email or phone until the new one is verified",
            "turn it off in the console",
        ),
    )
    for value, what, fix in checks:
        if value:
            decision.refuse.append(
                f"the pool uses {what} ({_show(value)}), which idura-cognito does not manage and its pool resource "
                f"would remove: {fix}, or keep this pool out of idura-cognito"
            )


def _domain(stack: StackConfig, found: ExistingLogin, explicit: set[str], decision: Decision) -> None:
    if found.domain != stack.domain.cognito_domain:
        key = "domain.custom" if "." in (found.domain or "") else "domain.prefix"
        decision.refuse.append(
            f"{key} is {found.domain!r} on the pool and {stack.domain.cognito_domain!r} in the config: a pool has one "
            f'domain; write {key} = "{found.domain}"'
        )
        return
    version = found.managed_login_version or 1
    _Setting(explicit, decision).keep(
        "domain.managed_login_version",
        version,
        stack.domain.managed_login_version,
        f"domain {found.domain}",
        "managed login version",
    )


def _identity_providers(stack: StackConfig, found: ExistingLogin, explicit: set[str], decision: Decision) -> None:
    names = set(stack.idp_names)
    for name in sorted(set(found.identity_providers) - names):
        decision.refuse.append(
            f"the identity provider {name!r} points at this Idura application but the config names no provider "
            f'{name!r}: write identity_provider.name = "{name}" (or a pinned_eids name)'
        )
    adopted = {n: p for n, p in found.identity_providers.items() if n in names}
    if not adopted:
        return
    scopes = {tuple(p.get("ProviderDetails", {}).get("authorize_scopes", "").split()) for p in adopted.values()}
    mappings = {tuple(sorted((p.get("AttributeMapping") or {}).items())) for p in adopted.values()}
    if len(scopes) > 1 or len(mappings) > 1:
        decision.refuse.append(
            "the adopted identity providers differ in scopes or attribute mapping, and the product gives all of them "
            "one (identity_provider.scopes and .attributes): make them equal in the console first"
        )
        return
    keep = _Setting(explicit, decision)
    (current_scopes,) = scopes
    keep.keep(
        "identity_provider.scopes[]",
        list(current_scopes),
        list(stack.identity_provider.scopes),
        "identity providers " + ", ".join(sorted(adopted)),
        "scopes",
    )
    (current_mapping,) = mappings
    mapping = {k: v for k, v in current_mapping if k != "username"}
    configured = {k: v for k, v in stack.identity_provider.attributes.items() if k != "username"}
    keep.keep(
        "identity_provider.attributes{}",
        mapping,
        configured,
        "identity providers " + ", ".join(sorted(adopted)),
        "attribute mapping",
    )
    for name, provider in sorted(adopted.items()):
        if provider.get("IdpIdentifiers"):
            decision.refuse.append(
                f"the identity provider {name!r} has identifiers {_show(provider['IdpIdentifiers'])}, which "
                "idura-cognito does not manage and would remove: remove them in the console first"
            )
        details = provider.get("ProviderDetails", {})
        if details.get("attributes_request_method", "GET") != "GET":
            decision.changes.append(
                f"will change identity provider {name}: user info request method "
                f"{details['attributes_request_method']} -> GET (Idura's user info endpoint is read with GET)"
            )
        decision.changes.append(
            f"will update identity provider {name} in the state only: Terraform records its client secret as "
            "sensitive (shown as an update; nothing changes at Cognito)"
        )
        endpoints = sorted(k for k in ("authorize_url", "token_url", "attributes_url", "jwks_uri") if k in details)
        if endpoints and name == stack.identity_provider.name:
            decision.changes.append(
                f"will change identity provider {name}: {', '.join(endpoints)} removed (Cognito discovers them from "
                "the issuer; only pinned eIDs name them)"
            )


def _app_client(stack: StackConfig, found: ExistingLogin, explicit: set[str], decision: Decision) -> None:
    client, settings = found.app_client, stack.app_client
    keep = _Setting(explicit, decision)
    resource = f"app client {client['ClientName']}"
    keep.immutable(
        "app_client.generate_secret",
        bool(client.get("ClientSecret")),
        settings.generate_secret,
        "Cognito cannot add or remove a client's secret, and a plan would replace the client",
    )
    keep.keep("app_client.name", client["ClientName"], settings.name, resource, "name")
    keep.keep(
        "app_client.callback_urls[]",
        sorted(client.get("CallbackURLs") or []),
        sorted(settings.callback_urls),
        resource,
        "callback URLs",
    )
    keep.keep(
        "app_client.logout_urls[]",
        sorted(client.get("LogoutURLs") or []),
        sorted(settings.logout_urls),
        resource,
        "logout URLs",
    )
    keep.keep(
        "app_client.default_redirect_uri",
        client.get("DefaultRedirectURI"),
        settings.default_redirect_uri,
        resource,
        "default redirect URI",
    )
    keep.keep(
        "app_client.oauth_scopes[]",
        sorted(client.get("AllowedOAuthScopes") or []),
        sorted(settings.oauth_scopes),
        resource,
        "OAuth scopes",
    )
    offered = set(client.get("SupportedIdentityProviders") or [])
    keep.keep("app_client.cognito_login", "COGNITO" in offered, settings.cognito_login, resource, "Cognito's own login")
    others = sorted(offered - {"COGNITO"} - set(found.identity_providers))
    if others:
        decision.refuse.append(
            f"the app client also offers {', '.join(others)}, which idura-cognito does not manage and would take "
            "off the client: remove them from the client in the console, or keep this client out (--app-client-name)"
        )
    flows = sorted(client.get("AllowedOAuthFlows") or [])
    if flows and flows != ["code"]:
        decision.refuse.append(
            f"the app client allows the OAuth flows {_show(flows)}; idura-cognito offers the code flow only: remove "
            "the others in the console first"
        )
    units = client.get("TokenValidityUnits") or {}
    for token, key in (("AccessToken", "access_token"), ("IdToken", "id_token"), ("RefreshToken", "refresh_token")):
        validity = client.get(f"{token}Validity")
        unit = units.get(token)
        if validity is not None:
            keep.keep(
                f"app_client.{key}_validity",
                validity,
                getattr(settings, f"{key}_validity"),
                resource,
                f"{key.replace('_', ' ')} lifetime",
            )
        if unit is not None and unit != _DEFAULT_UNITS[token] or getattr(settings, f"{key}_unit") is not None:
            keep.keep(
                f"app_client.token_validity_units.{key}",
                unit or _DEFAULT_UNITS[token],
                getattr(settings, f"{key}_unit"),
                resource,
                f"{key.replace('_', ' ')} lifetime unit",
            )
    for api, key, label in (
        ("ExplicitAuthFlows", "app_client.explicit_auth_flows[]", "auth flows"),
        ("ReadAttributes", "app_client.read_attributes[]", "readable attributes"),
        ("WriteAttributes", "app_client.write_attributes[]", "writable attributes"),
    ):
        if client.get(api) is not None:
            configured = getattr(settings, key.split(".")[1].removesuffix("[]"))
            keep.keep(key, sorted(client[api]), sorted(configured) if configured is not None else None, resource, label)
    for api, key, label in (
        ("PreventUserExistenceErrors", "app_client.prevent_user_existence_errors", "user existence errors"),
        ("EnableTokenRevocation", "app_client.enable_token_revocation", "token revocation"),
        ("AuthSessionValidity", "app_client.auth_session_validity", "sign-in session minutes"),
    ):
        if client.get(api) is not None:
            keep.keep(key, client[api], getattr(settings, key.split(".")[1]), resource, label)
    if (client.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED":
        decision.refuse.append(
            "the app client rotates refresh tokens, which the AWS provider 5.100 cannot keep (it would turn it "
            "off: hashicorp/terraform-provider-aws#43531): turn it off in the console, or keep this client out"
        )


def _mapped_custom(found: ExistingLogin) -> set[str]:
    return {
        attribute.removeprefix("custom:")
        for provider in found.identity_providers.values()
        for attribute in (provider.get("AttributeMapping") or {})
        if attribute.startswith("custom:")
    }


def show(value: Any) -> str:
    """A value as the config would hold it (TOML-like)."""
    return _show(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def adopt_table(stack: StackConfig, found: ExistingLogin) -> dict[str, Any]:
    """The ``[stacks.<env>.adopt]`` values that make both renderings import what exists."""
    table: dict[str, Any] = {"user_pool_id": found.user_pool_id}
    if found.domain and stack.domain.kind != "existing":
        table["domain"] = found.domain
    table["identity_providers"] = [n for n in stack.idp_names if n in found.identity_providers]
    if found.app_client_id:
        table["app_client_id"] = found.app_client_id
    return table
