"""The field table (idura_cognito/config/fields.py) drives the reader, the model's defaults, the module's
variables.tf and the config reference (docs/configuration.md): each of the four is compared with the table here."""

from __future__ import annotations

import copy
import re

import pytest

from devtools import project_docs
from idura_cognito.config import model
from idura_cognito.config.fields import FIELDS, REQUIRED, Field
from idura_verify.program.rules import RULES
from tests.support.config import base_config, parsed_config
from tests.support.paths import ROOT

#: Fields read into other shapes than one attribute (the stack table itself, list items, map keys/values).
NOT_ONE_ATTRIBUTE = {
    "stack",
    "pinned_eids[].name",
    "pinned_eids[].acr",
    "pinned_eids[].scopes[]",  # read per pinned eID: tests/unit/test_eid_checks.py
    "pinned_eids[].attributes{}",
    "pinned_eids[].attributes{}=",
    "identity_provider.attributes{}=",
    "tags{}=",
    "app_clients{}",  # the client tables themselves: tests/unit/test_app_clients.py
    "adopt.app_clients{}=",
}


def attribute(field: Field) -> tuple[str, str]:
    """(table attribute of StackConfig, attribute of that settings object) that holds the field's value."""
    name = field.hcl.split(".", 1)[1] if field.hcl else field.name
    return field.table, name


def read(config: dict, field: Field):
    stack = parsed_config(config, "c.toml").stack("dev")
    if field.key == "tags{}":
        return stack.tags
    if field.key == "existing_resource_servers[]":
        return stack.existing_resource_servers
    table, name = attribute(field)
    value = getattr(getattr(stack, table), name)
    if field.key == "identity_provider.attributes{}":
        value = {k: v for k, v in value.items() if k != "username"}
    return value


def put(config: dict, field: Field, value) -> None:
    target = config["stacks"]["dev"]
    if field.key == "tags{}":
        target["tags"] = value
        return
    if field.key == "existing_resource_servers[]":
        target["existing_resource_servers"] = list(value)
        return
    parts = field.key.removesuffix("[]").removesuffix("{}").split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = list(value) if isinstance(value, tuple) else value


def test_every_config_rule_belongs_to_a_field():
    used = {field.rule for field in FIELDS if field.rule}
    config_rules = {r.key for r in RULES if r.query is None and not r.key.isupper() and r.key != "redirect_url"}
    assert config_rules - used == set()


@pytest.mark.parametrize(
    "field", [f for f in FIELDS if f.example is not None and f.key not in NOT_ONE_ATTRIBUTE], ids=lambda f: f.key
)
def test_the_reader_reads_every_field_into_the_model(field):
    config = base_config()
    if field.key.startswith("user_pool.") and field.key != "user_pool.name":
        config["stacks"]["dev"]["user_pool"] = {"name": "acme-dev"}
    if field.key == "user_pool.mfa":
        config["stacks"]["dev"]["user_pool"]["mfa_totp"] = True
    if field.key == "domain.managed_login_version":
        pass
    put(config, field, field.example)
    value = read(config, field)
    assert value == (tuple(field.example) if isinstance(field.example, tuple) else field.example)


#: Keys the base config sets (one of name/existing_id, one of the domain kinds) and maps (a default factory).
SET_BY_THE_BASE_CONFIG = {
    "user_pool.name",
    "domain.prefix",
    "identity_provider.attributes{}",
    "tags{}",
    "app_client.callback_urls[]",
}


@pytest.mark.parametrize(
    "field",
    [
        f
        for f in FIELDS
        if f.default is not REQUIRED
        and f.key not in NOT_ONE_ATTRIBUTE | SET_BY_THE_BASE_CONFIG
        and not f.key.startswith(("adopt.", "backend."))
        and f.key != "idura.application_name"  # derived from the stack name
        and f.key != "existing_resource_servers[]"  # an attribute of the stack itself: the test below
    ],
    ids=lambda f: f.key,
)
def test_an_absent_key_reads_as_the_table_default_and_the_model_declares_the_same(field):
    config = base_config()
    config["stacks"]["dev"]["user_pool"] = {"name": "acme-dev"}
    value = read(config, field)
    default = tuple(field.default) if isinstance(field.default, tuple) else field.default
    assert value == default
    table, name = attribute(field)
    settings_type = type(getattr(parsed_config(config, "c.toml").stack("dev"), table))
    declared = settings_type.__dataclass_fields__[name].default
    assert declared == default, f"model.py {settings_type.__name__}.{name} defaults to {declared!r}"


def test_a_stack_without_existing_resource_servers_reads_none():
    config = base_config()
    stack = parsed_config(config, "c.toml").stack("dev")
    assert (
        stack.existing_resource_servers
        == ()
        == model.StackConfig.__dataclass_fields__["existing_resource_servers"].default
    )


def test_the_module_variables_declare_the_table_defaults():
    text = (ROOT / "modules" / "idura-cognito" / "variables.tf").read_text()
    for field in FIELDS:
        if not field.hcl:
            continue
        table, name = field.hcl.split(".", 1)
        block = text.split(f'variable "{table}" {{', 1)[1].split("\n}\n", 1)[0]
        line = re.search(rf"^\s+{name}\s+= (.+)$", block, re.M)
        assert line, f"variables.tf: {table} has no attribute {name}"
        declared = line.group(1)
        if field.default is REQUIRED:
            assert declared == field.hcl_type
        elif field.default is None:
            assert declared == f"optional({field.hcl_type})"
        else:
            assert declared.startswith(f"optional({field.hcl_type}, ")
            shown = declared.removeprefix(f"optional({field.hcl_type}, ").removesuffix(")")
            expected = {True: "true", False: "false"}.get(field.default) if isinstance(field.default, bool) else None
            if expected is None:
                import json

                value = list(field.default) if isinstance(field.default, tuple) else field.default
                expected = json.dumps(value) if not isinstance(value, dict) else "{}"
            assert shown == expected.replace('", "', '", "'), (field.key, shown, expected)


def test_the_configuration_reference_is_the_table():
    readme = (ROOT / "docs" / "configuration.md").read_text()
    assert project_docs.config_reference() in readme
    for field in FIELDS:
        display = "stacks.<name>" if field.key == "stack" else field.key
        assert f"| `{display}` | " in readme, field.key


def test_model_settings_have_no_default_the_table_does_not_know():
    """A default written in model.py but not in the table would be a second source."""
    known = {attribute(f)[1] for f in FIELDS}
    for settings in (model.UserPoolSettings, model.AppClientSettings, model.DomainSettings, model.AwsSettings):
        for name, declared in settings.__dataclass_fields__.items():
            if declared.default is not declared.default_factory and name in known:
                continue
            assert name in known or declared.default is None or name in ("name",), (settings.__name__, name)


def test_a_changed_default_in_the_table_is_seen_by_the_reader(monkeypatch):
    """The reader takes defaults from the table at run time, not from a copy."""
    from idura_cognito.config import fields

    changed = (
        copy.replace(fields.FIELD["app_client.name"], default="from-the-table") if hasattr(copy, "replace") else None
    )
    if changed is None:
        import dataclasses

        changed = dataclasses.replace(fields.FIELD["app_client.name"], default="from-the-table")
    monkeypatch.setitem(fields.FIELD, "app_client.name", changed)
    config = base_config()
    assert parsed_config(config, "c.toml").stack("dev").app_client.name == "from-the-table"
