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

import re
from dataclasses import dataclass, field
from typing import Any

from .config.fields import Field, in_table
from .config.model import LEGACY_CLIENT, AppClientSettings, StackConfig
from .definitions import naming

#: (config key, value) the product writes for a custom attribute it declares (stacks/user_pool.py).
_PRODUCT_CUSTOM_ATTRIBUTE = {"AttributeDataType": "String", "Mutable": True, "MinLength": "0", "MaxLength": "2048"}


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
    #: Cognito client name -> its description, for every client that offers one of those providers.
    app_clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Config client key -> the described client it adopts (set by decide).
    matched: dict[str, dict[str, Any]] = field(default_factory=dict)

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
    #: TOML path inside [stacks.<env>] (``user_pool.mfa``, ``app_clients.web.callback_urls``) -> value.
    write: dict[str, Any] = field(default_factory=dict)
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
    pages = cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=user_pool_id, MaxResults=60)
    for summary in (c for page in pages for c in page["UserPoolClients"]):
        client = cognito.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=summary["ClientId"])[
            "UserPoolClient"
        ]
        offers = set(client.get("SupportedIdentityProviders", [])) & set(found.identity_providers)
        if (app_client_name and client["ClientName"] == app_client_name) or (not app_client_name and offers):
            found.app_clients[client["ClientName"]] = client
    return found


def decide(stack: StackConfig, found: ExistingLogin, explicit: set[str] | None, source: str) -> Decision:
    """Setting by setting: write what exists, refuse what cannot be kept, state what will change.

    ``explicit``: the TOML paths the config states for this stack (in its table or in [defaults]); None: every
    setting is taken as stated (the doctor's drift check).
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
    _app_clients(stack, found, explicit, decision)
    return decision


class _Setting:
    """Write the current value when the config does not state the key; state the change when it does."""

    source = "idura-cognito.toml"

    def __init__(self, explicit: set[str] | None, decision: Decision) -> None:
        self.explicit, self.decision = explicit, decision

    def stated(self, key: str) -> bool:
        return self.explicit is None or key.removesuffix("[]").removesuffix("{}") in self.explicit

    def keep(self, key: str, current: Any, configured: Any, resource: str, label: str) -> None:
        key = key.removesuffix("[]").removesuffix("{}")
        if not self.stated(key):
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
        key = key.removesuffix("[]").removesuffix("{}")
        if current == configured:
            return
        if not self.stated(key):
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
    described = {"pool": pool, "mfa": found.mfa}
    never = "Cognito cannot change it after creation, and a plan would replace the pool"
    for entry in (f for f in in_table("user_pool") if f.cognito):  # the field table says where each lives
        current = entry.cognito.value(described[entry.cognito.source])
        configured = _model_value(settings, entry)
        if entry.cognito.immutable:
            keep.immutable(entry.key, current, configured, never)
        else:
            keep.keep(entry.key, current, configured, resource, entry.cognito.label)
    mapped = set(stack.custom_attributes) | _mapped_custom(found)
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
    _unmanaged_pool_settings(found, decision)
    tags = {
        **stack.tags,
        **naming.MANAGED_BY_TAG,
        naming.STACK_TAG: naming.stack_tag_value(stack.name, stack.escrow_name),
    }
    if (pool.get("UserPoolTags") or {}) != tags:
        decision.changes.append(
            f"will change {resource}: tags {_show(pool.get('UserPoolTags') or {})} -> {_show(tags)}"
        )


def _unmanaged_pool_settings(found: ExistingLogin, decision: Decision) -> None:
    """Settings the product does not manage but its pool resource would reset when it is updated."""
    pool, mfa = found.pool, found.mfa
    triggers = {k: v for k, v in (pool.get("LambdaConfig") or {}).items() if k != "PreSignUp"}
    checks = (
        (triggers, "Lambda triggers", "remove them in the console"),
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


def _app_clients(stack: StackConfig, found: ExistingLogin, explicit: set[str] | None, decision: Decision) -> None:
    """Each client of the config adopts the Cognito client of its name; the other clients that offer the stack's
    Idura providers are written into the config as clients of their own (their key from the name)."""
    legacy = stack.app_clients[0].key == LEGACY_CLIENT
    if legacy:
        (settings,) = stack.app_clients
        if len(found.app_clients) > 1:
            names = ", ".join(sorted(found.app_clients))
            decision.refuse.append(
                f"the pool has {len(found.app_clients)} app clients that offer Idura ({names}) and the config's "
                f"[app_client] table describes one: write it as [stacks.{stack.name}.app_clients.<key>] instead and "
                "adopt again (adopt writes the others), or name one with --app-client-name"
            )
            return
        if found.app_clients:
            found.matched[settings.key] = next(iter(found.app_clients.values()))
    else:
        by_name = {c.name: c for c in stack.app_clients}
        taken = {c.key for c in stack.app_clients}
        for name, client in sorted(found.app_clients.items()):
            if name in by_name:
                found.matched[by_name[name].key] = client
                continue
            key = _client_key(name, taken)
            taken.add(key)
            found.matched[key] = client
    for key, client in found.matched.items():
        settings = next((c for c in stack.app_clients if c.key == key), None)
        _app_client(stack, client, settings, key, legacy, explicit, decision, found)
    for settings in stack.app_clients:
        if settings.key not in found.matched:
            decision.changes.append(f"will create app client {settings.name} (no client of that name exists)")


def _client_key(name: str, taken: set[str]) -> str:
    """A config key for a client found by its name: ``Acme Web`` -> ``acme-web`` (unique among ``taken``)."""
    base = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_") or "client"
    base = base if base[0].isalpha() else f"client-{base}"
    key, n = base[:32], 2
    while key in taken:
        key, n = f"{base[:28]}-{n}", n + 1
    return key


def _app_client(
    stack: StackConfig,
    client: dict[str, Any],
    settings: AppClientSettings | None,
    key: str,
    legacy: bool,
    explicit: set[str] | None,
    decision: Decision,
    found: ExistingLogin,
) -> None:
    """One client, field by field from the field table; a client new to the config has every value written."""
    keep = _Setting(explicit if settings is not None else set(), decision)
    table = "app_client" if legacy else f"app_clients.{key}"
    resource = f"app client {client['ClientName']}"
    for entry in (f for f in in_table("app_client") if f.cognito):
        path = f"{table}.{entry.name}"
        current = entry.cognito.value(client)
        configured = _model_value(settings, entry) if settings is not None else None
        if entry.key == "app_client.name" and not legacy and current == key:
            continue  # a keyed client is called by its key
        if entry.cognito.immutable:
            keep.immutable(path, current, configured, "Cognito cannot add or remove a client's secret, and a plan "
                           "would replace the client")  # fmt: skip
        else:
            keep.keep(path, current, configured, resource, entry.cognito.label)
    offered = set(client.get("SupportedIdentityProviders") or [])
    providers = sorted(offered & set(found.identity_providers))
    configured = settings.identity_providers if settings is not None else None
    everything = sorted(set(stack.idp_names) & set(found.identity_providers)) == providers
    if configured is not None or not everything:
        keep.keep(f"{table}.identity_providers", providers, sorted(configured) if configured is not None else None,
                  resource, "identity providers")  # fmt: skip
    others = sorted(offered - {"COGNITO"} - set(found.identity_providers))
    if others:
        decision.refuse.append(
            f"the app client {client['ClientName']} also offers {', '.join(others)}, which idura-cognito does not "
            "manage and would take off the client: remove them from the client in the console, or keep this client "
            "out (--app-client-name)"
        )
    if (client.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED":
        decision.refuse.append(
            f"the app client {client['ClientName']} rotates refresh tokens, which the AWS provider 5.100 cannot keep "
            "(it would turn it off: hashicorp/terraform-provider-aws#43531): turn it off in the console, or keep "
            "this client out"
        )


def _model_value(settings: Any, entry: Field) -> Any:
    """The configured value of a field, as adopt compares it (lists sorted, tuples as lists)."""
    value = getattr(settings, entry.hcl.split(".", 1)[1] if entry.hcl else entry.name)
    return sorted(value) if isinstance(value, (tuple, list)) else value


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
    if found.matched:
        table["app_clients"] = {key: client["ClientId"] for key, client in found.matched.items()}
    return table
