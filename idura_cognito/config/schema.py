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
from .eid_checks import check_pinned_eid, scope_warnings
from .errors import ConfigError
from .fields import COGNITO_TOKEN_UNITS, FIELD, REQUIRED, in_table
from .model import (
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
        app_client=_read_app_client(t.table("app_client")),
        pinned_eids=tuple(_read_pinned_eid(e, warnings) for e in t.tables("pinned_eids")),
        backend=_read_backend(t.table("backend", required=False)),
        tags=t.string_map("tags", RULE["tags{}"], RULE["tags{}="]),
        escrow=_read_escrow(t.table("escrow", required=False)),
        adopt=_read_adopt(t.table("adopt", required=False)),
    )
    _check_unique_idp_names(t, stack)
    if stack.domain.existing is not None and not stack.user_pool.is_existing:
        raise t.table("domain").error(
            "existing",
            "names a domain of an existing pool (user_pool.existing_id); a new pool has none yet: use prefix or "
            "custom (the stack registers its redirect URL at Idura only on its own pool's domain)",
        )
    warnings += scope_warnings(t, stack)
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


def values_of(t: Table, table: str) -> dict[str, Any]:
    """Every field of ``table`` read from ``t``, by the model attribute that holds it (the module's attribute
    name): a key added to the field table is read without a line here."""
    return {(f.hcl.split(".", 1)[1] if f.hcl else f.name): value(t, f.key) for f in in_table(table) if f.hcl}


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
)


def _read_user_pool(t: Table) -> UserPoolSettings:
    t.only(*keys_of("user_pool"))
    _table_constraints(t, "user_pool")
    pool = UserPoolSettings(**values_of(t, "user_pool"))
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
    return IdentityProviderSettings(
        name=value(t, "identity_provider.name"), scopes=scopes, attributes={"username": "sub", **mapping}
    )


def _read_pinned_eid(t: Table, warnings: list[str]) -> PinnedEid:
    t.only(*keys_of("pinned_eids[]"))
    scopes = value(t, "pinned_eids[].scopes[]")
    if scopes is not None:
        _list_constraints(t, "pinned_eids[].scopes", "scopes", scopes)
    eid = PinnedEid(name=value(t, "pinned_eids[].name"), acr=value(t, "pinned_eids[].acr"), scopes=scopes)
    check_pinned_eid(t, eid, warnings)
    return eid


#: Cognito's limits for token lifetimes, in minutes, and the units it assumes when none is given.
_LIFETIMES = {
    "access_token": (5, 24 * 60, COGNITO_TOKEN_UNITS["access_token"], "5 minutes to 1 day"),
    "id_token": (5, 24 * 60, COGNITO_TOKEN_UNITS["id_token"], "5 minutes to 1 day"),
    "refresh_token": (60, 3650 * 24 * 60, COGNITO_TOKEN_UNITS["refresh_token"], "60 minutes to 3650 days"),
}
_MINUTES = {"seconds": 1 / 60, "minutes": 1, "hours": 60, "days": 24 * 60}


def _read_app_client(t: Table) -> AppClientSettings:
    t.only(*keys_of("app_client"))
    t.table("token_validity_units", required=False).only("access_token", "id_token", "refresh_token")
    client = AppClientSettings(**values_of(t, "app_client"))
    for name in ("callback_urls", "logout_urls", "oauth_scopes"):
        _list_constraints(t, f"app_client.{name}", name, getattr(client, name))
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


def _read_adopt(t: Table) -> AdoptSettings:
    t.only(*keys_of("adopt"))
    adopt = AdoptSettings(
        user_pool_id=value(t, "adopt.user_pool_id"),
        domain=value(t, "adopt.domain"),
        identity_providers=value(t, "adopt.identity_providers[]"),
        app_client_id=value(t, "adopt.app_client_id"),
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
