"""Read ``idura-cognito.toml`` into validated :class:`ProjectConfig`. All validation lives here.

Layout: ``[defaults]`` holds keys shared by every environment; ``[stacks.<name>]`` holds one environment and
wins over the defaults (tables merge key by key, arrays and values replace).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import rules
from .errors import ConfigError
from .model import (
    AppClientSettings,
    AwsSettings,
    BackendSettings,
    DomainSettings,
    IdentityProviderSettings,
    IduraSettings,
    PinnedEid,
    ProjectConfig,
    StackConfig,
    UserPoolSettings,
)

DEFAULT_PATH = "idura-cognito.toml"
CONFIG_ENV = "IDURA_COGNITO_CONFIG"
_STACK_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_MISSING = object()
Check = Callable[[str], "str | None"]


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
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("file", f"is not valid TOML ({exc})", source) from None
    root = _Table(document, "", source, frozenset()).only("defaults", "stacks")
    defaults = root.table("defaults", required=False)
    defaults.only(*_STACK_KEYS)
    stacks = root.table("stacks")
    if not stacks.raw:
        raise ConfigError("stacks", "defines no environment; add a [stacks.<name>] table", source)
    parsed = {}
    for name in stacks.raw:
        if not _STACK_NAME.fullmatch(name):
            raise ConfigError(
                f"stacks.{name}",
                "stack names use 1-32 lowercase letters, digits and hyphens, starting with a letter",
                source,
            )
        table = stacks.table(name)
        merged, from_defaults = _merge(defaults.raw, table.raw)
        parsed[name] = _read_stack(name, _Table(merged, f"stacks.{name}", source, from_defaults))
    return ProjectConfig(source=source, stacks=parsed)


def _merge(defaults: dict[str, Any], overrides: dict[str, Any], prefix: str = "") -> tuple[dict, set[str]]:
    """Deep-merge tables; also return the dotted keys whose value came from ``[defaults]``."""
    merged: dict[str, Any] = {}
    inherited: set[str] = set()
    for key in defaults.keys() | overrides.keys():
        path = f"{prefix}{key}"
        base, over = defaults.get(key, _MISSING), overrides.get(key, _MISSING)
        if isinstance(base, dict) and isinstance(over, dict):
            merged[key], sub = _merge(base, over, f"{path}.")
            inherited |= sub
        elif over is _MISSING:
            merged[key] = base
            inherited.add(path)
        else:
            merged[key] = over
    return merged, inherited


class _Table:
    """A TOML table read strictly: :meth:`only` rejects unknown keys, typed getters check each value."""

    def __init__(self, raw: Any, path: str, source: str, inherited: frozenset[str] | set[str]) -> None:
        self.path, self.source, self.inherited = path, source, inherited
        if not isinstance(raw, dict):
            raise self.error("", f"must be a table, got {_type_name(raw)}")
        self.raw: dict[str, Any] = raw

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> ConfigError:
        key = self.key(name) if name else self.path
        relative = key.split(".", 2)[2] if key.startswith("stacks.") and key.count(".") >= 2 else None
        if relative and any(relative == p or relative.startswith(f"{p}.") for p in self.inherited):
            message += " (value set in [defaults])"
        return ConfigError(key, message, self.source)

    def _get(self, name: str, required: bool) -> Any:
        value = self.raw.get(name, _MISSING)
        if value is _MISSING and required:
            raise self.error(name, "is required")
        return value

    def string(self, name: str, check: Check | None = None, *, required: bool = True, default=None):
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise self.error(name, f"must be a string, got {_type_name(value)}")
        self._check(name, value, check)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, got {_type_name(value)}")
        return value

    def integer(self, name: str, default: int, allowed: tuple[int, ...]) -> int:
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise self.error(name, f"must be one of {', '.join(map(str, allowed))}, got {value!r}")
        return value

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.string(name, required=False, default=default)
        if value not in allowed:
            raise self.error(name, f"must be one of {', '.join(map(repr, allowed))}, got {value!r}")
        return value

    def strings(self, name: str, check: Check | None = None, *, required: bool = True, default=()):
        value = self._get(name, required)
        if value is _MISSING:
            return tuple(default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, f"must be a list of strings, got {_type_name(value)}")
        if len(set(value)) != len(value):
            raise self.error(name, "lists a value twice")
        for item in value:
            self._check(name, item, check)
        return tuple(value)

    def table(self, name: str, *, required: bool = True) -> _Table:
        value = self._get(name, required)
        return _Table({} if value is _MISSING else value, self.key(name), self.source, self.inherited)

    def tables(self, name: str) -> list[_Table]:
        value = self._get(name, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(name, f"must be an array of tables ([[{self.key(name)}]]), got {_type_name(value)}")
        return [
            _Table(item, f"{self.key(name)}[{i}]", self.source, self.inherited) for i, item in enumerate(value)
        ]

    def _check(self, name: str, value: str, check: Check | None) -> None:
        problem = check(value) if check else rules.printable(value, max_length=2048)
        if problem:
            raise self.error(name, problem)

    def only(self, *allowed: str) -> _Table:
        """Reject unknown keys first, so a typo is reported as a typo and not as a missing key."""
        for name in sorted(self.raw):
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.error(name, f"is not a known key; {hint}allowed here: {', '.join(sorted(allowed))}")
        return self


def _type_name(value: Any) -> str:
    return {
        dict: "a table",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _limited(max_length: int) -> Check:
    return lambda value: rules.printable(value, max_length=max_length)


_STACK_KEYS = ("aws", "idura", "user_pool", "domain", "identity_provider", "app_client", "pinned_eids", "backend")


def _read_stack(name: str, t: _Table) -> StackConfig:
    t.only(*_STACK_KEYS)
    stack = StackConfig(
        name=name,
        aws=_read_aws(t.table("aws")),
        idura=_read_idura(name, t.table("idura")),
        user_pool=_read_user_pool(t.table("user_pool")),
        domain=_read_domain(t.table("domain")),
        identity_provider=_read_identity_provider(t.table("identity_provider", required=False)),
        app_client=_read_app_client(t.table("app_client")),
        pinned_eids=tuple(_read_pinned_eid(e) for e in t.tables("pinned_eids")),
        backend=_read_backend(t.table("backend", required=False)),
    )
    _check_idp_names(t, stack)
    return stack


def _read_aws(t: _Table) -> AwsSettings:
    t.only("region", "endpoint_url")
    aws = AwsSettings(
        region=t.string("region", rules.aws_region),
        endpoint_url=t.string("endpoint_url", rules.endpoint_url, required=False),
    )
    return aws


def _read_idura(stack: str, t: _Table) -> IduraSettings:
    t.only("domain", "client_id", "application_name", "secret_source")
    idura = IduraSettings(
        domain=t.string("domain", lambda v: rules.hostname(v, allow_loopback_port=True)),
        client_id=t.string("client_id", _limited(255)),
        application_name=t.string(
            "application_name", _limited(100), required=False, default=f"AWS Cognito ({stack})"
        ),
        secret_source=t.choice("secret_source", ("hand-registered", "managed"), "hand-registered"),  # type: ignore[arg-type]
    )
    return idura


def _read_user_pool(t: _Table) -> UserPoolSettings:
    t.only("name", "existing_id", "deletion_protection")
    pool = UserPoolSettings(
        name=t.string("name", _limited(128), required=False),
        existing_id=t.string("existing_id", rules.user_pool_id, required=False),
        deletion_protection=t.boolean("deletion_protection", False),
    )
    if (pool.name is None) == (pool.existing_id is None):
        raise t.error("", "set exactly one of name (create a pool) and existing_id (use a pool)")
    if pool.existing_id and "deletion_protection" in t.raw:
        raise t.error("deletion_protection", "only applies to a pool the product creates (name)")
    return pool


def _read_domain(t: _Table) -> DomainSettings:
    t.only("prefix", "custom", "certificate_arn", "existing", "managed_login_version")
    domain = DomainSettings(
        prefix=t.string("prefix", rules.domain_prefix, required=False),
        custom=t.string("custom", rules.hostname, required=False),
        certificate_arn=t.string("certificate_arn", rules.certificate_arn, required=False),
        existing=t.string("existing", _existing_domain, required=False),
        managed_login_version=t.integer("managed_login_version", 1, (1, 2)),
    )
    if sum(v is not None for v in (domain.prefix, domain.custom, domain.existing)) != 1:
        raise t.error("", "set exactly one of prefix, custom (with certificate_arn) and existing")
    if (domain.custom is None) != (domain.certificate_arn is None):
        name = "certificate_arn" if domain.certificate_arn is None else "custom"
        raise t.error(name, "custom and certificate_arn go together")
    if domain.existing is not None and "managed_login_version" in t.raw:
        raise t.error("managed_login_version", "only applies to a domain the product creates")
    return domain


def _existing_domain(value: str) -> str | None:
    return rules.hostname(value) if "." in value else rules.domain_prefix(value)


def _read_identity_provider(t: _Table) -> IdentityProviderSettings:
    t.only("name", "scopes", "attributes")
    scopes = t.strings("scopes", rules.idp_scope, required=False, default=("openid",))
    if "openid" not in scopes:
        raise t.error("scopes", "must include 'openid' (Cognito's OIDC federation needs it)")
    mapping_table = t.table("attributes", required=False)
    mapping = {"username": "sub"}
    for attribute in mapping_table.raw:
        problem = rules.user_pool_attribute(attribute)
        if problem:
            raise mapping_table.error(attribute, problem)
        mapping[attribute] = mapping_table.string(attribute, rules.claim_name)
    idp = IdentityProviderSettings(
        name=t.string("name", rules.idp_name, required=False, default="Idura"), scopes=scopes, attributes=mapping
    )
    return idp


def _read_pinned_eid(t: _Table) -> PinnedEid:
    t.only("name", "acr")
    eid = PinnedEid(name=t.string("name", rules.idp_name), acr=t.string("acr", rules.acr))
    return eid


def _read_app_client(t: _Table) -> AppClientSettings:
    t.only("name", "callback_urls", "logout_urls", "oauth_scopes")

    def callback(value: str) -> str | None:
        return rules.https_url(value, allow_localhost_http=True)

    client = AppClientSettings(
        name=t.string("name", rules.app_client_name, required=False, default="idura-cognito"),
        callback_urls=t.strings("callback_urls", callback),
        logout_urls=t.strings("logout_urls", callback, required=False),
        oauth_scopes=t.strings("oauth_scopes", rules.oauth_scope, required=False, default=("openid",)),
    )
    if not client.callback_urls:
        raise t.error("callback_urls", "needs at least one URL for the code flow")
    if len(client.callback_urls) > 100 or len(client.logout_urls) > 100:
        raise t.error("callback_urls", "Cognito allows at most 100 callback and 100 logout URLs")
    if "openid" not in client.oauth_scopes:
        raise t.error("oauth_scopes", "must include 'openid' to receive an id token")
    return client


def _read_backend(t: _Table) -> BackendSettings:
    kind = t.choice("type", ("local", "s3", "cloud"), "local")
    if kind == "local":
        t.only("type", "path")
        backend = BackendSettings(type="local", path=t.string("path", _limited(1024), required=False))
    elif kind == "cloud":
        t.only("type", "organization", "workspace", "project", "hostname")
        backend = BackendSettings(
            type="cloud",
            organization=t.string("organization", _name_check("organization")),
            workspace=t.string("workspace", _name_check("workspace")),
            project=t.string("project", _limited(90), required=False),
            hostname=t.string("hostname", rules.hostname, required=False),
        )
    else:
        t.only("type", "bucket", "key", "region", "use_lockfile", "dynamodb_table", "encrypt", "kms_key_id")
        backend = BackendSettings(
            type="s3",
            bucket=t.string("bucket", rules.s3_bucket),
            key=t.string("key", _limited(1024)),
            region=t.string("region", rules.aws_region),
            use_lockfile=t.boolean("use_lockfile", True),
            dynamodb_table=t.string("dynamodb_table", _limited(255), required=False),
            encrypt=t.boolean("encrypt", True),
            kms_key_id=t.string("kms_key_id", _limited(2048), required=False),
        )
    return backend


def _name_check(what: str) -> Check:
    pattern = re.compile(r"^[A-Za-z0-9_-]{1,90}$")

    def check(value: str) -> str | None:
        return (
            None
            if pattern.fullmatch(value)
            else f"{value!r} is not a Terraform Cloud {what} name (letters, digits, - and _)"
        )

    return check


def _check_idp_names(t: _Table, stack: StackConfig) -> None:
    seen: dict[str, str] = {}
    keys = ["identity_provider.name"] + [f"pinned_eids[{i}].name" for i in range(len(stack.pinned_eids))]
    for key, name in zip(keys, stack.idp_names, strict=True):
        if name.lower() in seen:
            raise t.error(key, f"{name!r} is already used by {seen[name.lower()]}; IdP names must be unique")
        seen[name.lower()] = key
    resource_names: dict[str, int] = {}
    for i, eid in enumerate(stack.pinned_eids):
        if eid.terraform_name in resource_names:
            other = stack.pinned_eids[resource_names[eid.terraform_name]].name
            raise t.error(
                f"pinned_eids[{i}].name", f"{eid.name!r} differs from {other!r} only in punctuation or case"
            )
        resource_names[eid.terraform_name] = i
    acrs: dict[str, int] = {}
    for i, eid in enumerate(stack.pinned_eids):
        if eid.acr in acrs:
            raise t.error(
                f"pinned_eids[{i}].acr", f"{eid.acr!r} is already pinned by pinned_eids[{acrs[eid.acr]}]"
            )
        acrs[eid.acr] = i
