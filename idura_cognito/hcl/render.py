"""Render one environment as a self-contained Terraform root configuration.

``<out>/`` gets versions.tf (providers, backend or Terraform Cloud), providers.tf, main.tf (the module call with
this environment's values; in managed mode also the idura-application submodule), moved.tf (from the CDKTF
stack's addresses), imports.tf (an adopted setup), outputs.tf, a README, and ``modules/idura-cognito/`` from the
installed package (plus ``bin/idura_application.pyz`` in managed mode: the program carrying httpx).

Every file is produced in memory before anything is written, so a missing piece of the package never leaves a
partial render. Rendering is deterministic and writes a file only when its content changes. Every value passes
the one encoder (values.py): the templates refuse any interpolated value that did not come from it.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path
from typing import Any

import jinja2

from ..aws import EMULATED_SERVICES
from ..config.fields import FIELDS
from ..config.model import StackConfig
from ..definitions import addresses, versions
from ..definitions.backend import local_state_path, s3_backend_extras
from ..definitions.outputs import ROOT_OUTPUTS
from ..errors import CommandError
from . import program_bundle
from .values import Encoded, Raw, body, string

#: The module's files, listed so that a missing one fails the render instead of being skipped.
MAIN_MODULE_FILES = (
    "README.md",
    "app_client.tf",
    "domain.tf",
    "identity_providers.tf",
    "main.tf",
    "names.tf",
    "outputs.tf",
    "secret_escrow.tf",
    "user_pool.tf",
    "variables.tf",
    "versions.tf",
)
APPLICATION_MODULE = "modules/idura-application"
APPLICATION_MODULE_FILES = tuple(
    f"{APPLICATION_MODULE}/{name}" for name in ("README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf")
)
PROGRAM = f"{APPLICATION_MODULE}/bin/idura_application.pyz"


class RenderError(CommandError):
    """A file of the render cannot be produced (the installed package is incomplete, or a write failed)."""


def _only_encoded(value: Any) -> Any:
    if not isinstance(value, Encoded):
        raise TypeError(f"a template tried to write a value that did not pass the encoder: {type(value).__name__}")
    return value


_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("idura_cognito.hcl", "templates"),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    finalize=_only_encoded,
    autoescape=False,  # noqa: S701 - HCL and Markdown, not HTML; values.py encodes every value
)


def module_source() -> importlib.resources.abc.Traversable:
    """The Terraform module as installed with the package (package data)."""
    return importlib.resources.files("idura_cognito") / "terraform_module"


def _object_input(table: str, settings: Any, always: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object variable's attributes from the field table: those not at their default (and ``always``)."""
    values: dict[str, Any] = {}
    for field in FIELDS:
        if not field.hcl or not field.hcl.startswith(table + "."):
            continue
        attribute = field.hcl.split(".", 1)[1]
        value = getattr(settings, attribute)
        if isinstance(value, tuple):
            value = list(value)
        default = list(field.default) if isinstance(field.default, tuple) else field.default
        if value is not None and (value != default or attribute in always):
            values[attribute] = value
    return values


def module_inputs(stack: StackConfig) -> list[dict[str, Any]]:
    """The module's arguments, as groups separated by blank lines (scalars first, then one object each)."""
    pool = _object_input("user_pool", stack.user_pool)
    domain = _object_input("domain", stack.domain, always=("managed_login_version",))
    if stack.domain.kind == "existing":
        domain.pop("managed_login_version", None)
    idp = stack.identity_provider
    scalars: dict[str, Any] = {
        "stack_name": stack.name,
        "aws_region": stack.aws.region,
        "idura_domain": stack.idura.domain,
        "client_id": stack.idura.client_id,
        "secret_source": stack.idura.secret_source,
    }
    if stack.idura.managed:
        scalars["idura_application"] = Raw("module.idura_application.result")
    groups: list[dict[str, Any]] = [
        scalars,
        {"user_pool": pool},
        {"domain": domain},
        {"identity_provider": {"name": idp.name, "scopes": list(idp.scopes), "attributes": dict(idp.attributes)}},
    ]
    if stack.pinned_eids:
        groups.append({"pinned_eids": [{"name": e.name, "acr": e.acr} for e in stack.pinned_eids]})
    client = _object_input(
        "app_client",
        stack.app_client,
        always=("name", "callback_urls", "logout_urls", "oauth_scopes", "generate_secret"),
    )
    groups.append({"app_client": client})
    if stack.tags:
        groups.append({"tags": dict(stack.tags)})
    if stack.escrow.kms_key_id:
        groups.append({"escrow_kms_key_id": stack.escrow.kms_key_id})
    return groups


def application_inputs(stack: StackConfig) -> dict[str, Any]:
    return {
        "idura_domain": stack.idura.domain,
        "client_id": stack.idura.client_id,
        "application_name": stack.idura.application_name,
        "redirect_urls": [Raw("module.idura_cognito.idura_redirect_url")],
        "cognito_host": stack.cognito_host,
        "escrow": Raw("module.idura_cognito.escrow"),
    }


def _backend_bodies(stack: StackConfig, out: Path, project_dir: Path) -> tuple[Encoded, Encoded]:
    backend = stack.backend
    if backend.type == "s3":
        values: dict[str, Any] = {
            "bucket": backend.bucket,
            "key": backend.key,
            "region": backend.region,
            "encrypt": backend.encrypt,
            "kms_key_id": backend.kms_key_id,
            "dynamodb_table": backend.dynamodb_table,
            **s3_backend_extras(stack),
        }
        return body({k: v for k, v in values.items() if v is not None}, 2), Encoded("")
    if backend.type == "cloud":
        values = {"organization": backend.organization, "hostname": backend.hostname}
        workspace = {"name": backend.workspace, "project": backend.project}
        return (
            body({k: v for k, v in values.items() if v is not None}, 2),
            body({k: v for k, v in workspace.items() if v is not None}, 3),
        )
    return body({"path": local_state_path(stack, out, project_dir)}, 2), Encoded("")


def _moved(stack: StackConfig) -> list[tuple[Encoded, Encoded]]:
    return [(Raw(a.cdktf), Raw(a.hcl)) for a in addresses.resources(stack)]


def _imports(stack: StackConfig) -> list[tuple[Encoded, Encoded]]:
    return [(Raw(a.hcl), string(a.import_id)) for a in addresses.resources(stack) if a.import_id]


def render_files(stack: StackConfig, source: str, out: Path) -> dict[str, bytes]:
    """Every file of the root configuration, relative path -> content. Raises RenderError, writes nothing.

    ``source`` is the config file: relative paths in it (backend.path) are relative to its folder.
    """
    backend_body, workspace_body = _backend_bodies(stack, out, Path(source).resolve().parent)
    provider: dict[str, Any] = {"region": stack.aws.region}
    endpoint_url = stack.aws.endpoint_url
    if endpoint_url:
        provider |= {
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
        }
    managed = stack.idura.managed
    context = {
        "stack_name": string(stack.name),
        "source": string(source),
        "backend_type": Encoded(stack.backend.type),
        "local_backend": stack.backend.type == "local",
        "backend_body": backend_body,
        "workspace_body": workspace_body,
        "provider_body": body(provider, 1),
        "endpoint_url": string(endpoint_url) if endpoint_url else None,
        "endpoints_body": body(dict.fromkeys(sorted(EMULATED_SERVICES), endpoint_url), 2) if endpoint_url else "",
        "module_body": Encoded("\n\n".join(body(group, 1) for group in module_inputs(stack))),
        "application_body": body(application_inputs(stack), 1) if managed else None,
        "managed": managed,
        "terraform_version": string(versions.TERRAFORM),
        "aws_version": string(versions.AWS_PROVIDER),
        "external_version": string(versions.EXTERNAL_PROVIDER),
        "outputs": [(Encoded(o.name), string(o.description)) for o in ROOT_OUTPUTS],
        "moved": _moved(stack),
        "imports": _imports(stack),
        "region": string(stack.aws.region),
    }
    names = ["versions.tf", "providers.tf", "main.tf", "moved.tf", "outputs.tf", "README.md"]
    names += ["imports.tf"] if context["imports"] else []
    files = {name: _templates.get_template(f"{name}.j2").render(context).encode() for name in names}
    module_files = MAIN_MODULE_FILES + (APPLICATION_MODULE_FILES if managed else ())
    source_dir = module_source()
    for relative in module_files:
        try:
            files[f"modules/idura-cognito/{relative}"] = source_dir.joinpath(*relative.split("/")).read_bytes()
        except OSError:
            raise RenderError(
                f"the installed package lacks modules/idura-cognito/{relative}: reinstall idura-cognito; "
                "nothing was written"
            ) from None
    if managed:
        files[f"modules/idura-cognito/{PROGRAM}"] = program_bundle.build()
    return files


def render(stack: StackConfig, out: Path, source: str) -> tuple[list[str], list[str]]:
    """Write the root configuration into ``out``; returns (written, unchanged) relative paths."""
    files = render_files(stack, source, out)
    written, unchanged = [], []
    for relative, content in files.items():
        path = out / relative
        if path.exists() and path.read_bytes() == content:
            unchanged.append(relative)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(content)
            temporary.chmod(0o755 if relative.endswith(".pyz") else 0o644)
            temporary.replace(path)
        except OSError as exc:
            raise RenderError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
        written.append(relative)
    return written, unchanged
