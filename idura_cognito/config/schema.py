"""The keys of ``idura-cognito.toml`` and how they become a :class:`ProjectConfig`.

Layout: ``[defaults]`` holds keys shared by every environment; ``[stacks.<name>]`` holds one environment and
wins over the defaults (tables merge key by key, arrays and values replace). Every value rule comes from the one
table in ``idura_verify.rules``; this module only knows which key holds what.
"""

from __future__ import annotations

import os
from pathlib import Path

from idura_verify import acr_values
from idura_verify.rules import CONSTRAINTS, RULE, Constraint

from . import compat
from .errors import ConfigError
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
from .toml_reader import Table, merge, read_document

DEFAULT_PATH = "idura-cognito.toml"
CONFIG_ENV = "IDURA_COGNITO_CONFIG"
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


def _read_aws(t: Table) -> AwsSettings:
    t.only("region", "endpoint_url")
    return AwsSettings(
        region=t.string("region", RULE["aws.region"]),
        endpoint_url=t.string("endpoint_url", RULE["aws.endpoint_url"], required=False),
    )


def _read_idura(stack: str, t: Table) -> IduraSettings:
    t.only("domain", "client_id", "application_name", "secret_source")
    return IduraSettings(
        domain=t.string("domain", RULE["idura.domain"]),
        client_id=t.string("client_id", RULE["idura.client_id"]),
        application_name=t.string(
            "application_name", RULE["idura.application_name"], required=False, default=f"AWS Cognito ({stack})"
        ),
        secret_source=t.string("secret_source", RULE["idura.secret_source"], required=False, default="hand-registered"),
    )


def _read_user_pool(t: Table) -> UserPoolSettings:
    t.only("name", "existing_id", "deletion_protection", "username_case_sensitive")
    _table_constraints(t, "user_pool")
    pool = UserPoolSettings(
        name=t.string("name", RULE["user_pool.name"], required=False),
        existing_id=t.string("existing_id", RULE["user_pool.existing_id"], required=False),
        deletion_protection=t.boolean("deletion_protection", False),
        username_case_sensitive=t.boolean("username_case_sensitive", False),
    )
    for only_created in ("deletion_protection", "username_case_sensitive"):
        if pool.existing_id and t.has(only_created):
            raise t.error(only_created, "only applies to a pool the product creates (name)")
    return pool


def _read_domain(t: Table) -> DomainSettings:
    t.only("prefix", "custom", "certificate_arn", "existing", "managed_login_version")
    _table_constraints(t, "domain")
    domain = DomainSettings(
        prefix=t.string("prefix", RULE["domain.prefix"], required=False),
        custom=t.string("custom", RULE["domain.custom"], required=False),
        certificate_arn=t.string("certificate_arn", RULE["domain.certificate_arn"], required=False),
        existing=t.string("existing", RULE["domain.existing"], required=False),
        managed_login_version=t.integer("managed_login_version", 1, (1, 2)),
    )
    if domain.existing is not None and t.has("managed_login_version"):
        raise t.error("managed_login_version", "only applies to a domain the product creates")
    return domain


def _read_identity_provider(t: Table) -> IdentityProviderSettings:
    t.only("name", "scopes", "attributes")
    scopes = t.strings("scopes", RULE["identity_provider.scopes[]"], required=False, default=("openid",))
    _list_constraints(t, "identity_provider.scopes", "scopes", scopes)
    mapping = t.string_map(
        "attributes", RULE["identity_provider.attributes{}"], RULE["identity_provider.attributes{}="]
    )
    return IdentityProviderSettings(
        name=t.string("name", RULE["identity_provider.name"], required=False, default="Idura"),
        scopes=scopes,
        attributes={"username": "sub", **mapping},
    )


def _read_pinned_eid(t: Table, warnings: list[str]) -> PinnedEid:
    t.only("name", "acr")
    eid = PinnedEid(name=t.string("name", RULE["pinned_eids[].name"]), acr=t.string("acr", RULE["pinned_eids[].acr"]))
    if not acr_values.is_documented(eid.acr):
        warnings.append(f"{t.source}: {t.key('acr')}: {acr_values.undocumented_warning(eid.acr)}")
    return eid


def _read_app_client(t: Table) -> AppClientSettings:
    t.only("name", "callback_urls", "logout_urls", "oauth_scopes", "generate_secret")
    client = AppClientSettings(
        name=t.string("name", RULE["app_client.name"], required=False, default="idura-cognito"),
        callback_urls=t.strings("callback_urls", RULE["app_client.callback_urls[]"]),
        logout_urls=t.strings("logout_urls", RULE["app_client.logout_urls[]"], required=False),
        oauth_scopes=t.strings("oauth_scopes", RULE["app_client.oauth_scopes[]"], required=False, default=("openid",)),
        generate_secret=t.boolean("generate_secret", False),
    )
    for name in ("callback_urls", "logout_urls", "oauth_scopes"):
        _list_constraints(t, f"app_client.{name}", name, getattr(client, name))
    return client


def _read_escrow(t: Table) -> EscrowSettings:
    t.only("kms_key_id")
    return EscrowSettings(kms_key_id=t.string("kms_key_id", RULE["escrow.kms_key_id"], required=False))


def _read_adopt(t: Table) -> AdoptSettings:
    t.only("user_pool_id", "domain", "identity_providers", "app_client_id")
    adopt = AdoptSettings(
        user_pool_id=t.string("user_pool_id", RULE["user_pool.existing_id"], required=False),
        domain=t.string("domain", RULE["domain.existing"], required=False),
        identity_providers=t.strings("identity_providers", RULE["identity_provider.name"], required=False),
        app_client_id=t.string("app_client_id", RULE["adopt.app_client_id"], required=False),
    )
    if t.raw and adopt.user_pool_id is None:
        raise t.error("user_pool_id", "is required when adopting (the pool the other resources live in)")
    return adopt


def _read_backend(t: Table) -> BackendSettings:
    kind = t.string("type", RULE["backend.type"], required=False, default="local")
    if kind == "local":
        t.only("type", "path")
        return BackendSettings(type="local", path=t.string("path", RULE["backend.path"], required=False))
    if kind == "cloud":
        t.only("type", "organization", "workspace", "project", "hostname")
        return BackendSettings(
            type="cloud",
            organization=t.string("organization", RULE["backend.organization"]),
            workspace=t.string("workspace", RULE["backend.workspace"]),
            project=t.string("project", RULE["backend.project"], required=False),
            hostname=t.string("hostname", RULE["backend.hostname"], required=False),
        )
    t.only("type", "bucket", "key", "region", "use_lockfile", "dynamodb_table", "encrypt", "kms_key_id")
    return BackendSettings(
        type="s3",
        bucket=t.string("bucket", RULE["backend.bucket"]),
        key=t.string("key", RULE["backend.key"]),
        region=t.string("region", RULE["backend.region"]),
        use_lockfile=t.boolean("use_lockfile", True),
        dynamodb_table=t.string("dynamodb_table", RULE["backend.dynamodb_table"], required=False),
        encrypt=t.boolean("encrypt", True),
        kms_key_id=t.string("kms_key_id", RULE["backend.kms_key_id"], required=False),
    )


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
