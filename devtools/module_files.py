"""The module's generated files, built from the one rule table and the shared definitions.

``variables.tf`` (types, defaults, descriptions and every ``validation`` from ``idura_verify.rules``),
``outputs.tf`` (from ``definitions.outputs``), ``versions.tf`` (``definitions.versions``), ``names.tf`` (the
escrow name mapping, ``definitions.naming``), the same for the ``idura-application`` submodule, and the
README tables (module_docs.py). Developers run ``make generate`` (generate.py); a test fails when a committed
file differs from what this module builds. Nothing here runs for users: the package is not in the wheel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from idura_cognito.config.fields import FIELDS
from idura_cognito.config.fields import REQUIRED as CONFIG_REQUIRED
from idura_cognito.definitions import linking, naming, versions
from idura_cognito.definitions.outputs import OUTPUTS
from idura_cognito.encoding import Raw, body, expression, string
from idura_verify.program.application import MAX_REDIRECT_URIS
from idura_verify.program.oidc import COGNITO_REDIRECT_PATH
from idura_verify.program.rules import CONSTRAINTS, RULES, Constraint, Rule

REQUIRED = object()

#: The object variables' one sentence; their attributes are described in the README's generated tables.
_OBJECT_INTROS = {
    "user_pool": "The user pool to create (`name`) or use (`existing_id`), and its settings. Required.",
    "domain": "The Cognito domain: a `prefix`, a `custom` host with its certificate, or an `existing` one. Required.",
    "identity_provider": "The Idura identity provider (the eID picker): name, scopes and attribute mapping.",
    "app_client": "Deprecated: 0.3's single app client, read as app_clients.default. Default: null.",
}


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # HCL type expression, laid out as terraform fmt does
    description: str  # says what the default is
    default: str | object = REQUIRED  # HCL text of the default
    sensitive: bool = False
    extra_validations: tuple[tuple[str, str], ...] = field(default=())  # (condition, message)


def _hcl_default(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(expression(v, 0) for v in value) + "]"
    return expression(value, 0)


def object_attributes(table: str) -> list[tuple[str, str, str, str]]:
    """(attribute, HCL type with its optional() default, description, default as shown) of an object variable,
    from the fields whose ``hcl`` names one of its attributes."""
    rows = []
    for entry in (f for f in FIELDS if f.hcl and f.hcl.startswith(table + ".")):
        attribute = entry.hcl.split(".", 1)[1]
        if entry.default is CONFIG_REQUIRED:
            kind = entry.hcl_type
        elif entry.default is None:
            kind = f"optional({entry.hcl_type})"
        else:
            kind = f"optional({entry.hcl_type}, {_hcl_default(entry.default)})"
        rows.append((attribute, kind, entry.description, entry.shown.replace("`", "")))
    return rows


def _object_type(table: str) -> str:
    rows = object_attributes(table)
    width = max(len(attribute) for attribute, *_ in rows)
    return "object({\n" + "\n".join(f"    {a.ljust(width)} = {kind}" for a, kind, *_ in rows) + "\n  })"


def _object_validations(table: str) -> list[tuple[str, str]]:
    """A validation for every choice and range of the object's attributes (as ``var.<table>.<attribute>``)."""
    validations: list[tuple[str, str]] = []
    for entry in (f for f in FIELDS if f.hcl and f.hcl.startswith(table + ".")):
        expr = f"var.{entry.hcl}"
        if entry.kind == "choice":
            allowed = ", ".join(_hcl_default(c) for c in entry.choices)
            condition = f"contains([{allowed}], {expr})"
            validations.append(
                (
                    condition if entry.default is not None else f"{expr} == null ? true : {condition}",
                    f"{entry.hcl}: use {' or '.join(map(str, entry.choices))}.",
                )
            )
        elif entry.kind == "int" and entry.choices:
            low, high = entry.choices
            condition = f"{expr} >= {low} && {expr} <= {high}"
            if entry.default is None:
                condition = f"{expr} == null ? true : ({condition})"
            allowed = f"{low} or {high}" if high == low + 1 else f"{low}-{high}"
            validations.append((condition, f"{entry.hcl}: use {allowed}."))
        elif entry.kind == "strings" and entry.choices:
            allowed = ", ".join(_hcl_default(c) for c in entry.choices)
            condition = f"alltrue([for v in {expr} : contains([{allowed}], v)])"
            if entry.default is None:
                condition = f"{expr} == null ? true : {condition}"
            validations.append((condition, f"{entry.hcl}: use {', '.join(entry.choices)}."))
    return validations


def object_variable(table: str) -> Variable:
    """An object variable (``user_pool``, ...): its type from the field table and a validation for every choice
    and range; one sentence of description (the attributes are in the README's tables)."""
    return Variable(
        table,
        _object_type(table),
        _OBJECT_INTROS[table],
        "{}" if table == "identity_provider" else ("null" if table == "app_client" else REQUIRED),
        extra_validations=tuple(_object_validations(table)) + _EXTRA_VALIDATIONS.get(table, ()),
    )


def clients_variable() -> Variable:
    """``app_clients``: a map of the app_client object, each entry validated as the object is."""
    # A keyed client is named by its key unless it says otherwise (the module's coalesce(name, key)).
    kind = _object_type("app_client").replace('optional(string, "idura-cognito")', "optional(string)")
    return Variable(
        "app_clients",
        f"map({kind.replace(chr(10) + '  })', chr(10) + '  }))')}",
        "The app clients, by key (the key names the client in Terraform and is its default name). Default: {}.",
        "{}",
    )


def _minutes(token: str, unit: str) -> str:
    """A token lifetime in minutes, as HCL (its unit defaults as Cognito's does)."""
    factors = "{ seconds = 1 / 60, minutes = 1, hours = 60, days = 1440 }"
    return (
        f"var.app_client.{token}_validity * lookup({factors}, coalesce(var.app_client.{token}_unit, {unit!r}))".replace(
            "'", '"'
        )
    )


#: Constraints across attributes, as the loader (config/schema.py) enforces them.
_EXTRA_VALIDATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "user_pool": (
        (
            'var.user_pool.mfa == "off" || var.user_pool.mfa_totp',
            "user_pool.mfa: optional or on needs an MFA method: set mfa_totp = true.",
        ),
        (
            "length(var.user_pool.username_attributes) == 0 || length(var.user_pool.alias_attributes) == 0",
            "user_pool.alias_attributes: Cognito takes username_attributes or alias_attributes, not both.",
        ),
    ),
    "app_client": tuple(
        (
            f"var.app_client.{token}_validity == null ? true : ({_minutes(token, unit)} >= {least} && "
            f"{_minutes(token, unit)} <= {most})",
            f"app_client.{token}_validity: outside Cognito's {limits} (in {token}_unit, default {unit}).",
        )
        for token, least, most, unit, limits in (
            ("access_token", 5, 1440, "hours", "5 minutes to 1 day"),
            ("id_token", 5, 1440, "hours", "5 minutes to 1 day"),
            ("refresh_token", 60, 3650 * 1440, "days", "60 minutes to 3650 days"),
        )
    ),
}


MAIN_VARIABLES: tuple[Variable, ...] = (
    Variable(
        "stack_name",
        "string",
        "Name of the environment, used in messages (the `idura-cognito secret put --stack` hint). Default: null.",
        "null",
    ),
    Variable("aws_region", "string", "AWS region of the user pool, e.g. eu-north-1. Required."),
    Variable(
        "idura_domain",
        "string",
        "Idura domain, e.g. acme-corp.idura.broker (no scheme or path); localhost:PORT for a local emulator. Required.",
    ),
    Variable("client_id", "string", "Client id (realm) of the Idura application, e.g. urn:idura:acme:prod. Required."),
    Variable(
        "secret_source",
        "string",
        'How the client secret reaches the escrow: "hand-registered" (`idura-cognito secret put`) or "managed" '
        '(the idura-application submodule creates the application and issues the secret). Default: "hand-registered".',
        '"hand-registered"',
    ),
    Variable(
        "idura_application",
        """object({
    client_secret  = string
    secret_id      = string
    application_id = string
    pending        = optional(string, "")
  })""",
        "Managed mode: the `result` output of the idura-application submodule (the secret issued in this run, "
        'or "", Idura\'s ids, and what an allowed run would change). Default: null (hand-registered).',
        "null",
        sensitive=True,
    ),
    Variable(
        "client_secret",
        "string",
        "The client secret from your own vault: overrides the escrow for the identity providers (the escrow is "
        "then not required). Default: null.",
        "null",
        sensitive=True,
    ),
    object_variable("user_pool"),
    object_variable("domain"),
    object_variable("identity_provider"),
    Variable(
        "pinned_eids",
        """list(object({
    name       = string
    acr        = string
    scopes     = optional(list(string))
    attributes = optional(map(string))
  }))""",
        "One more identity provider per entry, starting that eID directly (name, acr, its own scopes and mapping). "
        "Default: [].",
        "[]",
    ),
    clients_variable(),
    object_variable("app_client"),
    Variable(
        "existing_resource_servers",
        "list(string)",
        "Resource servers managed elsewhere (identifiers): their scopes are used by clients, not created. Default: [].",
        "[]",
    ),
    Variable(
        "tags",
        "map(string)",
        "Tags for every taggable resource (the user pool and the escrow), besides managed-by = idura-cognito. "
        "Default: {}.",
        "{}",
    ),
    Variable(
        "escrow_kms_key_id",
        "string",
        "KMS key (id, ARN or alias) that encrypts the escrow in managed mode. Default: null (the account's "
        "aws/secretsmanager key).",
        "null",
    ),
)

APPLICATION_VARIABLES: tuple[Variable, ...] = (
    Variable("idura_domain", "string", "Idura domain, e.g. acme-corp.idura.broker. Required."),
    Variable("client_id", "string", "Client id (realm) of the Idura application. Required."),
    Variable("application_name", "string", "Name of the application at Idura when it is created. Required."),
    Variable(
        "redirect_urls",
        "list(string)",
        "Cognito's redirect URLs to register (the idura-cognito module's idura_redirect_url output). Required.",
        extra_validations=(
            (
                f"length(var.redirect_urls) >= 1 && length(var.redirect_urls) <= {MAX_REDIRECT_URIS}",
                f"redirect_urls: give 1-{MAX_REDIRECT_URIS} URLs (as many as the program accepts).",
            ),
            (
                'alltrue([for v in var.redirect_urls : v == "https://${var.cognito_host}'
                + COGNITO_REDIRECT_PATH
                + '"])',
                "redirect_urls: every URL must be https://<cognito_host>/oauth2/idpresponse (this stack's own "
                "Cognito domain).",
            ),
        ),
    ),
    Variable(
        "post_logout_urls",
        "list(string)",
        "The app clients' sign_out URLs: Idura's end-session endpoint sends the browser back only to these (registered "
        "with the callback URLs, added, never removed). Default: [].",
        "[]",
        extra_validations=(
            (
                f"length(var.post_logout_urls) <= {MAX_REDIRECT_URIS}",
                f"post_logout_urls: give at most {MAX_REDIRECT_URIS} URLs (as many as the program accepts).",
            ),
            (
                "alltrue([for v in var.post_logout_urls : length(v) <= "
                + str(next(r for r in RULES if r.key == "app_client.sign_out").max_length)
                + " && can(regex("
                + string("^(?:" + next(r for r in RULES if r.key == "app_client.sign_out").pattern + ")$")
                + ", v))])",
                "post_logout_urls: " + next(r for r in RULES if r.key == "app_client.sign_out").allowed + ".",
            ),
        ),
    ),
    Variable(
        "cognito_host",
        "string",
        "The stack's Cognito domain host (the idura-cognito module's cognito_host output): every redirect URL must "
        "be https://<this host>/oauth2/idpresponse. Required.",
    ),
    Variable(
        "escrow",
        """object({
    exists     = bool
    has_secret = bool
    secret_id  = string
  })""",
        "The idura-cognito module's escrow output: tells the program whether a secret is escrowed. Required.",
    ),
    Variable(
        "program",
        "list(string)",
        'The command that runs the program. Default: null, meaning ["python3", "-I", "-B", '
        '"<this module>/../../../../providers/idura_verify/program"].',
        "null",
    ),
)

#: Rules whose module accessor starts with these belong to the submodule's variables.
_APPLICATION_ACCESSORS = {
    "idura.domain": "var.idura_domain",
    "idura.client_id": "var.client_id",
    "idura.application_name": "var.application_name",
    "redirect_url": "var.redirect_urls[]",
    "cognito_host": "var.cognito_host",
}


# -- conditions ----------------------------------------------------------------------------------------------


def _value_condition(rule: Rule, expr: str) -> str:
    parts = []
    if rule.choices:
        parts.append(f"contains([{', '.join(string(c) for c in rule.choices)}], {expr})")
    else:
        if rule.max_length is not None:
            parts.append(f"length({expr}) <= {rule.max_length}")
        if rule.pattern is not None:
            parts.append(f"can(regex({string('^(?:' + rule.pattern + ')$')}, {expr}))")
    if rule.forbid:
        parts.append(f"!can(regex({string('(?i)^(?:' + rule.forbid + ')$')}, {expr}))")
    return " && ".join(parts)


def _rule_condition(rule: Rule, accessor: str, nullable: bool = True) -> str:
    """The validation condition for ``accessor`` (see ``Rule.hcl``)."""
    if accessor.endswith("{key}") or accessor.endswith("{value}"):
        target, _, which = accessor[:-1].partition("{")
        item = "k" if which == "key" else "v"
        return f"alltrue([for k, v in {target} : {_value_condition(rule, item)}])"
    if "[]." in accessor and accessor.endswith("[]"):  # an optional list in each item of a list
        target, _, attribute = accessor[:-2].partition("[].")
        each = f"alltrue([for v in e.{attribute} : {_value_condition(rule, 'v')}])"
        return f"alltrue([for e in {target} : e.{attribute} == null ? true : {each}])"
    if accessor.endswith("[]"):  # an optional list is null when not given
        each = f"alltrue([for v in {accessor[:-2]} : {_value_condition(rule, 'v')}])"
        return f"{accessor[:-2]} == null ? true : {each}" if _optional_list(accessor) else each
    if "[]." in accessor:
        target, _, attribute = accessor.partition("[].")
        return f"alltrue([for e in {target} : {_value_condition(rule, 'e.' + attribute)}])"
    if not nullable:
        return _value_condition(rule, accessor)
    return f"{accessor} == null ? true : ({_value_condition(rule, accessor)})"


def _optional_list(accessor: str) -> bool:
    """The accessor names a list attribute whose field default is None (absent: null, not [])."""
    attribute = accessor.removeprefix("var.").removesuffix("[]")
    return any(f.hcl == attribute and f.default is None for f in FIELDS)


def _constraint_condition(constraint: Constraint) -> str:
    target = constraint.hcl
    if constraint.kind == "one_of":
        values = ", ".join(f"{target}.{f}" for f in constraint.fields)
        return f"length([for v in [{values}] : v if v != null]) == 1"
    if constraint.kind == "together":
        a, b = constraint.fields
        return f"({target}.{a} == null) == ({target}.{b} == null)"
    if constraint.kind == "includes" and "[]." in target:  # an optional list in each item of a list
        items, _, attribute = target.partition("[].")
        included = f"contains(e.{attribute}, {string(constraint.value)})"
        return f"alltrue([for e in {items} : e.{attribute} == null ? true : {included}])"
    if constraint.kind == "includes":
        return f"contains({target}, {string(constraint.value)})"
    if constraint.kind == "excludes":
        (attribute,) = constraint.fields
        prefixes = ", ".join(string(p) for p in constraint.prefixes)
        return f"alltrue([for e in {target} : alltrue([for p in [{prefixes}] : !startswith(e.{attribute}, p)])])"
    if constraint.kind == "count":
        return f"length({target}) >= {constraint.minimum} && length({target}) <= {constraint.maximum}"
    if constraint.kind == "unique":
        (attribute,) = constraint.fields
        values = f"[for e in {target} : lower(e.{attribute})]"
        if constraint.also_hcl:
            values = f"concat([lower({constraint.also_hcl})], {values})"
            return f"length(distinct({values})) == length({target}) + 1"
        return f"length(distinct({values})) == length({target})"
    raise ValueError(constraint.kind)


def _message_path(accessor: str) -> str:
    return accessor.removeprefix("var.").replace("[]", "").replace("{key}", "").replace("{value}", "")


#: Constraints of a client that signs people in: a client credentials client has no callback URL and no openid.
_LOGIN_ONLY = {"app_client.callback_urls", "app_client.oauth_scopes"}


def _validations(variable: Variable, accessors: dict[str, Rule]) -> list[tuple[str, str]]:
    if variable.name == "app_clients":
        # Each client as the one app_client object is checked, and the keys.
        one = [(c.replace("var.app_client.", "c."), m) for c, m in _client_validations(accessors)]
        keys = [v for v in _plain_validations(variable, accessors)]
        return keys + [
            (f"alltrue([for key, c in var.app_clients : {c}])", m.replace("app_client.", "app_clients.<key>.", 1))
            for c, m in one
        ]
    if variable.name == "app_client":
        return [(f"var.app_client == null ? true : ({c})", m) for c, m in _client_validations(accessors)]
    return _plain_validations(variable, accessors)


def _client_validations(accessors: dict[str, Rule]) -> list[tuple[str, str]]:
    """The app_client object's validations as ``var.app_client.<attribute>`` (never null here)."""
    plain = Variable("app_client", "", "", REQUIRED, extra_validations=object_variable("app_client").extra_validations)
    return _plain_validations(plain, accessors)


def _plain_validations(variable: Variable, accessors: dict[str, Rule]) -> list[tuple[str, str]]:
    own = f"var.{variable.name}"
    found = []
    for accessor, rule in accessors.items():
        if accessor == own or accessor.startswith((own + ".", own + "[", own + "{")):
            what = "keys" if accessor.endswith("{key}") else "values" if accessor.endswith("{value}") else ""
            path = _message_path(accessor) + (f" {what}" if what else "")
            condition = _rule_condition(rule, accessor, nullable=not (accessor == own and variable.default is REQUIRED))
            found.append((condition, f"{path}: use {rule.allowed}."))
    for constraint in CONSTRAINTS:
        if constraint.hcl and (constraint.hcl == own or constraint.hcl.startswith((own + ".", own + "["))):
            condition = _constraint_condition(constraint)
            if constraint.key in _LOGIN_ONLY:
                flows = f"{own}.oauth_flows"
                condition = f'!(contains({flows}, "code") || contains({flows}, "implicit")) || ({condition})'
            found.append((condition, f"{_message_path(constraint.hcl)}: {constraint.message}."))
    return found + list(variable.extra_validations)


def _variables_tf(variables: tuple[Variable, ...], accessors: dict[str, Rule]) -> str:
    blocks = []
    for variable in variables:
        attributes = {"description": string(variable.description), "type": Raw(variable.type)}
        if variable.default is REQUIRED:
            attributes["nullable"] = False  # a required value may not be given as null either
        else:
            attributes["default"] = Raw(str(variable.default))
        if variable.sensitive:
            attributes["sensitive"] = True
        text = f'variable "{variable.name}" {{\n{body(attributes, 1)}'
        for condition, message in _validations(variable, accessors):
            rule = body({"condition": Raw(condition), "error_message": message}, 2)
            text += f"\n\n  validation {{\n{rule}\n  }}"
        blocks.append(text + "\n}")
    return "\n\n".join(blocks) + "\n"


def main_accessors() -> dict[str, Rule]:
    """Rules of the main module's variables: every rule with a module accessor but the submodule's own."""
    return {r.hcl: r for r in RULES if r.hcl and r.key not in ("idura.application_name",)}


def application_accessors() -> dict[str, Rule]:
    by_key = {rule.key: rule for rule in RULES}
    return {accessor: by_key[key] for key, accessor in _APPLICATION_ACCESSORS.items()}


# -- the other generated files ---------------------------------------------------------------------------


def outputs_tf() -> str:
    blocks = []
    for output in OUTPUTS:
        attributes = {"description": string(output.description), "value": Raw(output.value)}
        if output.sensitive:
            attributes["sensitive"] = True
        check = ""
        if output.precondition:
            condition, message = output.precondition
            check = (
                f"\n\n  precondition {{\n{body({'condition': Raw(condition), 'error_message': Raw(message)}, 2)}\n  }}"
            )
        blocks.append(f'output "{output.name}" {{\n{body(attributes, 1)}{check}\n}}')
    return "\n\n".join(blocks) + "\n"


def versions_tf(external: bool) -> str:
    providers = [("aws", "hashicorp/aws", versions.AWS_PROVIDER)] if not external else []
    providers += [("external", "hashicorp/external", versions.EXTERNAL_PROVIDER)] if external else []
    lines = ["terraform {", f"  required_version = {string(versions.TERRAFORM)}", "", "  required_providers {"]
    for name, source, constraint in providers:
        lines += [
            f"    {name} = {{",
            f"      source  = {string(source)}",
            f"      version = {string(constraint)}",
            "    }",
        ]
    return "\n".join([*lines, "  }", "}", ""])


def names_tf() -> str:
    safe = naming.ESCROW_SAFE_CHARACTERS
    return "\n".join(
        [
            "# The escrow's Secrets Manager name, as idura_cognito.definitions.naming computes it: the client id as is",
            "# when Secrets Manager allows it, else a readable slug plus the first hex digits of its SHA-256.",
            "# The pool's stack_tag is its proof of origin (naming.stack_tag_value): deploy takes back only a pool",
            "# that carries it. link_function_name names the linking trigger's function, role and log group",
            "# (as definitions.linking.function_name computes it).",
            "locals {",
            f"  escrow_safe_client_id = can(regex({string('^[' + safe + ']+$')}, var.client_id))",
            f'  escrow_slug           = trim(replace(var.client_id, {string("/[^" + safe + "]+/")}, "-"), "-")',
            "  escrow_client_part    = local.escrow_safe_client_id ? var.client_id : "
            f'"${{local.escrow_slug == "" ? "client" : local.escrow_slug}}-${{substr(sha256(var.client_id), 0, '
            f'{naming.ESCROW_HASH_DIGITS})}}"',
            f'  escrow_name           = "{naming.ESCROW_PREFIX}/${{replace(var.idura_domain, ":", "-")}}/'
            '${local.escrow_client_part}"',
            f"  managed_by_tags       = {{ {_tags(naming.MANAGED_BY_TAG)} }}",
            f"  stack_tag             = {{ {string(naming.STACK_TAG)} = var.stack_name != null ? "
            '"${var.stack_name}/${local.escrow_name}" : local.escrow_name }',
            f'  link_function_name    = "{linking.NAME_PREFIX}${{substr(sha256(local.escrow_name), 0, '
            f'{linking.NAME_HASH_DIGITS})}}"',
            "}",
            "",
        ]
    )


def functions_tf() -> str:
    """The hashes of the functions' packages, known before Terraform builds them (functions/package.py)."""
    return "\n".join(
        [
            f"# The linking function's package as functions/package.py builds it from {linking.SOURCE}",
            "# (definitions.linking): Terraform knows the deployed code's hash when planning and builds the ZIP only",
            "# while applying. link_source_sha256 is the handler the hash was computed from; linking.tf checks it.",
            "locals {",
            f"  link_source_sha256        = {string(linking.source_hash())}",
            f"  link_package_base64sha256 = {string(linking.package_hash())}",
            "}",
            "",
        ]
    )


def _tags(tags: dict[str, str]) -> str:
    return ", ".join(f"{key} = {string(value)}" for key, value in tags.items())


GENERATED_HEADER = "# Generated by `make generate` (devtools/module_files.py); do not edit.\n"


def generated_files() -> dict[str, str]:
    """Relative path under modules/idura-cognito -> content."""
    submodule = "modules/idura-application"
    return {
        "variables.tf": GENERATED_HEADER + _variables_tf(MAIN_VARIABLES, main_accessors()),
        "outputs.tf": GENERATED_HEADER + outputs_tf(),
        "versions.tf": GENERATED_HEADER + versions_tf(external=False),
        "names.tf": GENERATED_HEADER + names_tf(),
        "functions.tf": GENERATED_HEADER + functions_tf(),
        f"{submodule}/variables.tf": GENERATED_HEADER + _variables_tf(APPLICATION_VARIABLES, application_accessors()),
        f"{submodule}/versions.tf": GENERATED_HEADER + versions_tf(external=True),
    }
