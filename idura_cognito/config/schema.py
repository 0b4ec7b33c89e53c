"""The keys of ``idura-cognito.toml`` and how they become a :class:`ProjectConfig`.

Layout: ``[defaults]`` holds keys shared by every environment; ``[stacks.<name>]`` holds one environment and
wins over the defaults (tables merge key by key, arrays and values replace). Every value rule comes from the one
table in ``idura_verify.rules``; this module only knows which key holds what.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from idura_verify.program.rules import CONSTRAINTS, RULE, Constraint

from . import compat
from .eid_checks import check_mappings, check_pinned_eid, resolve_mapping
from .errors import ConfigError
from .fields import COGNITO_TOKEN_UNITS, FIELD, REQUIRED, in_table
from .model import (
    LEGACY_CLIENT,
    AdoptSettings,
    AppClientSettings,
    AwsSettings,
    BackendSettings,
    DomainSettings,
    EscrowSettings,
    IdentityProviderSettings,
    IduraSettings,
    PinnedEid,
    ProjectConfig,
    StackConfig,
    UserPoolSettings,
)
from .regions import region_problem
from .toml_reader import Table, merge, read_document

DEFAULT_PATH = "idura-cognito.toml"
CONFIG_ENV = "IDURA_COGNITO_CONFIG"
#: The tables of a stack (and of [defaults]), in the order of the config reference.
STACK_KEYS = (
    "aws",
    "idura",
    "user_pool",
    "domain",
    "identity_provider",
    "app_client",
    "app_clients",
    "existing_resource_servers",
    "pinned_eids",
    "backend",
    "tags",
    "escrow",
    "adopt",
)


def config_path(explicit: str | None = None) -> Path:
    """``--config`` wins over ``$IDURA_COGNITO_CONFIG``, which wins over ``./idura-cognito.toml``."""
    return Path(explicit or os.environ.get(CONFIG_ENV) or DEFAULT_PATH)


def load_config(path: str | os.PathLike[str] | None = None) -> ProjectConfig:
    file = config_path(str(path) if path is not None else None)
    source = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file", "not found (pass --config or set IDURA_COGNITO_CONFIG)", source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("file", f"cannot be read: {exc.__class__.__name__}", source) from None
    return parse_config(text, source)


def parse_config(text: str, source: str = DEFAULT_PATH) -> ProjectConfig:
    warnings: list[str] = []
    root = Table(read_document(text, source), "", source).only("defaults", "stacks")
    defaults = root.table("defaults", required=False)
    defaults = Table(compat.upgrade_table(defaults.raw, "defaults", source, warnings), "defaults", source)
    defaults.only(*STACK_KEYS)
    stacks = root.table("stacks")
    if not stacks.raw:
        raise ConfigError("stacks", "defines no environment; add a [stacks.<name>] table", source)
    parsed: dict[str, StackConfig] = {}
    for name in stacks.raw:
        problem = RULE["stack"].problem(name)
        if problem:
            raise ConfigError(f"stacks.{name}", problem, source)
        own = compat.upgrade_table(stacks.table(name).raw, f"stacks.{name}", source, warnings)
        merged, inherited = merge(defaults.raw, own)
        parsed[name] = _read_stack(name, Table(merged, f"stacks.{name}", source, inherited), warnings)
    _check_shared_applications(parsed, source)
    folder = Path(source).resolve().parent
    parsed = {name: dataclasses.replace(stack, project_dir=folder) for name, stack in parsed.items()}
    return ProjectConfig(source=source, stacks=parsed, warnings=tuple(warnings))


def _read_stack(name: str, t: Table, warnings: list[str]) -> StackConfig:
    t.only(*STACK_KEYS)
    stack = StackConfig(
        name=name,
        aws=_read_aws(t.table("aws")),
        idura=_read_idura(name, t.table("idura")),
        user_pool=_read_user_pool(t.table("user_pool")),
        domain=_read_domain(t.table("domain")),
        identity_provider=_read_identity_provider(t.table("identity_provider", required=False)),
        app_clients=(clients := _read_app_clients(t, warnings)),
        pinned_eids=tuple(_read_pinned_eid(e, warnings) for e in t.tables("pinned_eids")),
        backend=_read_backend(t.table("backend", required=False)),
        tags=t.string_map("tags", RULE["tags{}"], RULE["tags{}="]),
        escrow=_read_escrow(t.table("escrow", required=False)),
        adopt=_read_adopt(t.table("adopt", required=False), clients),
        existing_resource_servers=value(t, "existing_resource_servers[]"),
    )
    _check_unique_idp_names(t, stack)
    warnings += check_mappings(t, stack)
    _check_clients(t, stack)
    if stack.domain.existing is not None and not stack.user_pool.is_existing:
        raise t.table("domain").error(
            "existing",
            "names a domain of an existing pool (user_pool.existing_id); a new pool has none yet: use prefix or "
            "custom (the stack registers its redirect URL at Idura only on its own pool's domain)",
        )
    return stack


def _violated(constraint: Constraint, table: Table) -> bool:
    """The table-level constraints of the rule table, as the loader checks them."""
    values = table.raw
    if constraint.kind == "one_of":
        return sum(values.get(f) is not None for f in constraint.fields) != 1
    if constraint.kind == "together":
        return len({values.get(f) is None for f in constraint.fields}) != 1
    raise ValueError(constraint.kind)


def _table_constraints(t: Table, key: str) -> None:
    for constraint in CONSTRAINTS:
        if constraint.key == key and constraint.kind in ("one_of", "together") and _violated(constraint, t):
            raise t.error("", constraint.message)


def _list_constraints(t: Table, key: str, name: str, values: tuple[str, ...]) -> None:
    for constraint in CONSTRAINTS:
        if constraint.key != key:
            continue
        if constraint.kind == "includes" and constraint.value not in values:
            raise t.error(name, constraint.message)
        if constraint.kind == "count" and not constraint.minimum <= len(values) <= constraint.maximum:
            raise t.error(name, constraint.message)


def value(t: Table, key: str, **override: Any) -> Any:
    """The value of the field ``key`` (fields.py) in the table ``t`` of its table part: type, rule and default
    from the field table; ``default=`` and ``required=`` override them for this read."""
    field = FIELD[key]
    *path, name = field.name.split(".")
    for part in path:
        t = t.table(part, required=False)
    default = override.get("default", None if field.default is REQUIRED else field.default)
    required = override.get("required", field.default is REQUIRED)
    if field.kind == "string":
        return t.string(name, field.value_rule, required=required, default=default)
    if field.kind == "bool":
        return t.boolean(name, default)
    if field.kind == "int":
        return t.integer(name, default, *field.choices)
    if field.kind == "choice":
        return t.choice(name, default, field.choices)
    if field.kind == "strings":
        if not t.has(name) and not required:
            return tuple(default) if default is not None else None
        check = field.value_rule or _one_of(field.choices)
        return t.strings(name, check, required=required)
    raise ValueError(field.kind)


def values_of(t: Table, table: str, **override: dict[str, Any]) -> dict[str, Any]:
    """Every field of ``table`` read from ``t``, by the model attribute that holds it (the module's attribute
    name): a key added to the field table is read without a line here. ``override``: per field key, the
    ``value()`` overrides of that read."""
    return {
        (f.hcl.split(".", 1)[1] if f.hcl else f.name): value(t, f.key, **override.get(f.key, {}))
        for f in in_table(table)
        if f.hcl
    }


def _one_of(choices: tuple[str, ...]):
    def check(item: str) -> str | None:
        return None if item in choices else f"{item[:40]!r} is not allowed: use {', '.join(choices)}"

    return check


def keys_of(table: str) -> tuple[str, ...]:
    """The keys a table may hold: the first part of each of its fields' names."""
    return tuple(dict.fromkeys(f.name.split(".")[0] for f in in_table(table) if f.name))


def _read_aws(t: Table) -> AwsSettings:
    t.only(*keys_of("aws"))
    allow_unlisted = value(t, "aws.allow_unlisted_region")
    region = value(t, "aws.region")
    problem = region_problem(region, allow_unlisted)
    if problem:
        raise t.error("region", problem)
    return AwsSettings(region=region, endpoint_url=value(t, "aws.endpoint_url"), allow_unlisted_region=allow_unlisted)


def _read_idura(stack: str, t: Table) -> IduraSettings:
    t.only(*keys_of("idura"))
    return IduraSettings(
        domain=value(t, "idura.domain"),
        client_id=value(t, "idura.client_id"),
        application_name=value(t, "idura.application_name", default=f"AWS Cognito ({stack})"),
        secret_source=value(t, "idura.secret_source"),
    )


#: Settings of a pool the product creates (or adopts): meaningless for a pool managed elsewhere.
_CREATED_POOL_ONLY = (
    "deletion_protection",
    "username_case_sensitive",
    "self_sign_up",
    "mfa",
    "mfa_totp",
    "auto_verified_attributes",
    "username_attributes",
    "alias_attributes",
    "link_federated_users",
    "pre_sign_up_lambda_arn",
)


def _read_user_pool(t: Table) -> UserPoolSettings:
    t.only(*keys_of("user_pool"))
    _table_constraints(t, "user_pool")
    pool = UserPoolSettings(**values_of(t, "user_pool"))
    if pool.existing_id is not None:  # its triggers are not the product's: nothing links there
        pool = dataclasses.replace(pool, link_federated_users=False)
    if pool.pre_sign_up_lambda_arn is not None:  # Cognito runs one pre sign-up function per pool
        if t.has("link_federated_users") and pool.link_federated_users:
            raise t.error(
                "link_federated_users",
                "a pool has one pre sign-up trigger and pre_sign_up_lambda_arn names yours: set "
                "link_federated_users = false, or call the linking handler from your function (docs/linking.md)",
            )
        pool = dataclasses.replace(pool, link_federated_users=False)
    for only_created in _CREATED_POOL_ONLY:
        if pool.existing_id and t.has(only_created):
            raise t.error(only_created, "only applies to a pool the product creates (name)")
    if pool.mfa != "off" and not pool.mfa_totp:
        raise t.error(
            "mfa",
            f"{pool.mfa!r} needs an MFA method: set mfa_totp = true (SMS MFA is not managed by idura-cognito)",
        )
    if pool.username_attributes and pool.alias_attributes:
        raise t.error("alias_attributes", "Cognito takes username_attributes or alias_attributes, not both")
    return pool


def _read_domain(t: Table) -> DomainSettings:
    t.only(*keys_of("domain"))
    _table_constraints(t, "domain")
    domain = DomainSettings(**values_of(t, "domain"))
    if domain.existing is not None and t.has("managed_login_version"):
        raise t.error("managed_login_version", "only applies to a domain the product creates")
    return domain


def _read_identity_provider(t: Table) -> IdentityProviderSettings:
    t.only(*keys_of("identity_provider"))
    scopes = value(t, "identity_provider.scopes[]")
    _list_constraints(t, "identity_provider.scopes", "scopes", scopes)
    mapping = t.string_map(
        "attributes", RULE["identity_provider.attributes{}"], RULE["identity_provider.attributes{}="]
    )
    login_hint_eids = value(t, "identity_provider.login_hint_eids[]")
    _list_constraints(t, "identity_provider.login_hint_eids", "login_hint_eids", login_hint_eids)
    return IdentityProviderSettings(
        name=value(t, "identity_provider.name"),
        scopes=scopes,
        attributes={"username": "sub", **mapping},
        login_hint_eids=login_hint_eids,
    )


def _read_pinned_eid(t: Table, warnings: list[str]) -> PinnedEid:
    t.only(*keys_of("pinned_eids[]"))
    scopes = value(t, "pinned_eids[].scopes[]")
    if scopes is not None:
        _list_constraints(t, "pinned_eids[].scopes", "scopes", scopes)
    acr = value(t, "pinned_eids[].acr")
    attributes = None
    if t.has("attributes"):
        mapping = t.string_map(
            "attributes", RULE["identity_provider.attributes{}"], RULE["identity_provider.attributes{}="]
        )
        attributes = resolve_mapping(t.table("attributes"), acr, mapping)
    eid = PinnedEid(name=value(t, "pinned_eids[].name"), acr=acr, scopes=scopes, attributes=attributes)
    check_pinned_eid(t, eid, warnings)
    return eid


#: Cognito's limits for token lifetimes, in minutes, and the units it assumes when none is given.
_LIFETIMES = {
    "access_token": (5, 24 * 60, COGNITO_TOKEN_UNITS["access_token"], "5 minutes to 1 day"),
    "id_token": (5, 24 * 60, COGNITO_TOKEN_UNITS["id_token"], "5 minutes to 1 day"),
    "refresh_token": (60, 3650 * 24 * 60, COGNITO_TOKEN_UNITS["refresh_token"], "60 minutes to 3650 days"),
}
_MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 24 * 60}


#: Cognito's quota of app clients per user pool (Amazon Cognito quotas: 1,000, adjustable; research notes).
MAX_APP_CLIENTS = 1000


def _read_app_clients(t: Table, warnings: list[str]) -> tuple[AppClientSettings, ...]:
    """``[app_clients.<key>]`` tables, or the one ``[app_client]`` of 0.3 (its key LEGACY_CLIENT)."""
    if t.has("app_client") and t.has("app_clients"):
        raise t.error("app_client", "give app_clients.<name> tables or the one app_client table, not both")
    if t.has("app_client"):
        return (_read_app_client(t.table("app_client"), LEGACY_CLIENT, warnings),)
    clients = t.table("app_clients")
    if not clients.raw:
        raise clients.error("", "defines no client; add an [app_clients.<name>] table")
    if len(clients.raw) > MAX_APP_CLIENTS:
        raise clients.error("", f"{len(clients.raw)} clients: Cognito allows {MAX_APP_CLIENTS} per user pool")
    found = []
    for key in clients.raw:
        problem = RULE["app_clients{}"].problem(key)
        if problem:
            raise clients.error(key, problem)
        found.append(_read_app_client(clients.table(key), key, warnings))
    return tuple(found)


def _read_app_client(t: Table, key: str, warnings: list[str]) -> AppClientSettings:
    t.only(*keys_of("app_client"))
    t.table("token_validity_units", required=False).only("access_token", "id_token", "refresh_token")
    flows = value(t, "app_client.oauth_flows[]")
    backend = "client_credentials" in flows and not {"code", "implicit"} & set(flows)
    # A client that signs people in needs callback URLs; a backend (client credentials alone) is redirected nowhere.
    callbacks = {} if backend else {"app_client.callback_urls[]": {"required": True}}
    read = values_of(t, "app_client", **callbacks) | {"renamed_from": value(t, "app_client.renamed_from")}
    if key != LEGACY_CLIENT and not t.has("name"):
        read["name"] = key  # a named client is called by its key unless it says otherwise
    client = AppClientSettings(key=key, **read)
    if client.renamed_from == key:
        raise t.error("renamed_from", "names the client's own key")
    if not client.generate_secret and "client_credentials" in client.oauth_flows:
        raise t.error(
            "oauth_flows",
            "client_credentials needs a confidential client (generate_secret = true): a public client has no "
            "secret to authenticate with",
        )
    if "implicit" in client.oauth_flows:
        warnings.append(
            f"{t.source}: {t.key('oauth_flows')}: the implicit flow puts tokens in the browser's URL and gives no "
            "refresh token; OAuth 2.0 Security BCP (RFC 9700) advises the code flow with PKCE instead"
        )
    for name in ("callback_urls", "logout_urls", "oauth_scopes"):
        if backend and name in ("callback_urls", "oauth_scopes"):
            continue  # no login, no openid: only the resource servers' scopes (below)
        _list_constraints(t, f"app_client.{name}", name, getattr(client, name))
    if backend:
        plain = [s for s in client.oauth_scopes if "/" not in s] if t.has("oauth_scopes") else ["openid"]
        if plain:
            raise t.error(
                "oauth_scopes",
                f"a client_credentials client can ask only for resource server scopes ('server/scope'), not "
                f"{plain[0]!r}: give it the scopes of the API it calls",
            )
    if client.default_redirect_uri is not None and client.default_redirect_uri not in client.callback_urls:
        raise t.error("default_redirect_uri", "must be one of callback_urls (Cognito refuses another)")
    for token, (least, most, assumed, limits) in _LIFETIMES.items():
        lifetime = getattr(client, f"{token}_validity")
        given = getattr(client, f"{token}_unit")
        unit = given or assumed
        if lifetime is not None and not least <= lifetime * _MINUTES[unit] <= most:
            read_as = "" if given else f" (without token_validity_units.{token} Cognito reads it in {assumed})"
            raise t.error(f"{token}_validity", f"{lifetime} {unit} is outside Cognito's {limits}{read_as}")
    return client


def _read_escrow(t: Table) -> EscrowSettings:
    t.only(*keys_of("escrow"))
    return EscrowSettings(kms_key_id=value(t, "escrow.kms_key_id"))


def _read_adopt(t: Table, clients: tuple[AppClientSettings, ...]) -> AdoptSettings:
    t.only(*keys_of("adopt"))
    adopted = t.string_map("app_clients", RULE["app_clients{}"], RULE["adopt.app_client_id"])
    keys = [c.key for c in clients]
    for key in adopted:
        if key not in keys:
            raise t.table("app_clients").error(key, f"is not a client of this stack; it has: {', '.join(keys)}")
    adopt = AdoptSettings(
        user_pool_id=value(t, "adopt.user_pool_id"),
        domain=value(t, "adopt.domain"),
        identity_providers=value(t, "adopt.identity_providers[]"),
        app_clients=adopted,
    )
    if t.raw and adopt.user_pool_id is None:
        raise t.error("user_pool_id", "is required when adopting (the pool the other resources live in)")
    return adopt


def _read_backend(t: Table) -> BackendSettings:
    kind = value(t, "backend.type")
    if kind == "local":
        t.only("type", "path")
        return BackendSettings(type="local", path=value(t, "backend.path"))
    if kind == "cloud":
        t.only("type", "organization", "workspace", "project", "hostname")
        return BackendSettings(
            type="cloud",
            organization=value(t, "backend.organization", required=True),
            workspace=value(t, "backend.workspace", required=True),
            project=value(t, "backend.project"),
            hostname=value(t, "backend.hostname"),
        )
    t.only("type", "bucket", "key", "region", "use_lockfile", "dynamodb_table", "encrypt", "kms_key_id")
    return BackendSettings(
        type="s3",
        bucket=value(t, "backend.bucket", required=True),
        key=value(t, "backend.key", required=True),
        region=_known_region(t, "region", RULE["backend.region"]),
        use_lockfile=value(t, "backend.use_lockfile"),
        dynamodb_table=value(t, "backend.dynamodb_table"),
        encrypt=value(t, "backend.encrypt"),
        kms_key_id=value(t, "backend.kms_key_id"),
    )


def _known_region(t: Table, name: str, rule) -> str:
    region = t.string(name, rule)
    problem = region_problem(region, allow_unlisted=False, way_out="upgrade idura-cognito's AWS SDK (boto3)")
    if problem:
        raise t.error(name, problem)
    return region


def _check_unique_idp_names(t: Table, stack: StackConfig) -> None:
    seen: dict[str, str] = {}
    keys = ["identity_provider.name"] + [f"pinned_eids[{i}].name" for i in range(len(stack.pinned_eids))]
    for key, name in zip(keys, stack.idp_names, strict=True):
        if name.lower() in seen:
            raise t.error(key, f"{name!r} is already used by {seen[name.lower()]}; IdP names must be unique")
        seen[name.lower()] = key
    resources: dict[str, str] = {}
    for i, eid in enumerate(stack.pinned_eids):
        other = resources.setdefault(eid.terraform_name, eid.name)
        if other != eid.name:  # the CDKTF resource name would clash
            raise t.error(f"pinned_eids[{i}].name", f"{eid.name!r} differs from {other!r} only in punctuation")
    acrs: dict[str, int] = {}
    for i, eid in enumerate(stack.pinned_eids):
        if eid.acr in acrs:
            raise t.error(f"pinned_eids[{i}].acr", f"{eid.acr!r} is already pinned by pinned_eids[{acrs[eid.acr]}]")
        acrs[eid.acr] = i


def _check_shared_applications(stacks: dict[str, StackConfig], source: str) -> None:
    """Two managed stacks of one Idura application would both own its escrow and rotate each other's secret.
    Hand-registered stacks only read the escrow, so they may share an application."""
    owners: dict[tuple[str, str], str] = {}
    for name in sorted(stacks):
        stack = stacks[name]
        if not stack.idura.managed:
            continue
        key = (stack.idura.domain, stack.idura.client_id)
        if key in owners:
            raise ConfigError(
                f"stacks.{name}.idura.client_id",
                f"stack {owners[key]!r} already manages client id {key[1]!r} on {key[0]}; two managed stacks "
                "would both own its escrow and rotate each other's secret: give each its own client id",
                source,
            )
        owners[key] = name


def _check_clients(t: Table, stack: StackConfig) -> None:
    """Across the clients: unique names, providers the stack has, renames that do not clash, and every mapped
    attribute writable by every client that offers an identity provider writing it (Cognito refuses to update
    an attribute the client cannot write, and that user's next login fails)."""
    names: dict[str, str] = {}
    keys = {client.key for client in stack.app_clients}
    where = "app_client" if stack.app_clients[0].key == LEGACY_CLIENT else "app_clients"
    for client in stack.app_clients:
        base = where if where == "app_client" else f"app_clients.{client.key}"
        other = names.setdefault(client.name.lower(), client.key)
        if other != client.key:
            raise t.error(f"{base}.name", f"{client.name!r} is already the name of client {other!r}")
        if client.renamed_from in keys:
            raise t.error(f"{base}.renamed_from", f"{client.renamed_from!r} is another client of this stack")
        if stack.idura.managed and client.sign_out and not client.sign_out.startswith("https://"):
            raise t.error(
                f"{base}.sign_out",
                "a managed stack registers it at Idura, whose management contract takes https:// URLs only; use an "
                "https:// page that hands over to the app, or register the URL in Idura's dashboard "
                '(idura.secret_source = "hand-registered")',
            )
        for provider in client.identity_providers or ():
            if provider not in stack.idp_names:
                raise t.error(
                    f"{base}.identity_providers",
                    f"{provider!r} is not an identity provider of this stack; it has: {', '.join(stack.idp_names)}",
                )
        if client.write_attributes is not None:
            writers = [p for p in stack.identity_providers if p.name in stack.offered_providers(client)]
            mapped = sorted({a for p in writers for a in p.attributes if a != "username"})
            missing = [a for a in mapped if a not in client.write_attributes]
            if missing:
                raise t.error(
                    f"{base}.write_attributes",
                    f"lacks {', '.join(missing)}, which its identity providers map: Cognito then refuses to update "
                    "them and the user's next login fails; add them",
                )
    renamed = [c.renamed_from for c in stack.app_clients if c.renamed_from]
    if len(renamed) != len(set(renamed)):
        raise t.error(where, "two clients are renamed from the same key")
