"""Render environments as Terraform root configurations that share one copy of the module.

A root gets versions.tf (providers, backend or Terraform Cloud), providers.tf, main.tf (the module call with
this environment's values; in managed mode also the idura-application submodule), moved.tf (from the CDKTF
stack's addresses), imports.tf (an adopted setup), outputs.tf, a README and a .gitignore (state, plans, caches and
local CLI config never belong in git). The module (``modules/idura-cognito/``, the program's source included) is
written once: beside the roots when several are rendered into one folder (``--all``, and a root rendered next to
a module that is there already), inside the root otherwise. Everything is text, and the same bytes on every
machine: templates and the package's own files, nothing compiled, no path of the machine.

Every file is produced in memory before anything is written, so a missing piece of the package never leaves a
partial render. A file is written only when its content changes; a file an earlier release wrote and this one
does not (the 0.2 program archive) is removed. Every value passes the one encoder (encoding.py): the templates
refuse any interpolated value that did not come from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..aws import EMULATED_SERVICES
from ..config.errors import ConfigError
from ..config.fields import FIELDS
from ..config.model import StackConfig
from ..definitions import addresses, managed_login, sign_out, versions
from ..definitions.backend import rendered_state_path, s3_backend_extras
from ..definitions.outputs import ROOT_OUTPUTS
from ..encoding import Encoded, Raw, body, string
from ..errors import CommandError
from . import program_source
from .module_folder import module_folder

#: The module's files, listed so that a missing one fails the render instead of being skipped.
MAIN_MODULE_FILES = (
    "README.md",
    "app_client.tf",
    "domain.tf",
    "functions.tf",
    "functions/link_federated_user/handler.py",
    "functions/package.py",
    "identity_providers.tf",
    "linking.tf",
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
MODULE_FILES = MAIN_MODULE_FILES + APPLICATION_MODULE_FILES
#: Where a root finds the module: inside itself, or beside it (several roots, one module). The program's source
#: goes beside the module's modules/ folder, at program_source.FOLDER, as in this repository.
MODULE_DIR = "modules/idura-cognito"
#: Files earlier releases rendered that this one does not, relative to the module: removed when found (0.2's
#: program archive, 0.3's copy of the program inside the submodule).
LEGACY_MODULE_FILES = (
    f"{APPLICATION_MODULE}/bin/idura_application.pyz",
    *(
        f"{APPLICATION_MODULE}/program/{name}"
        for name in (
            "__main__.py",
            "idura_application.py",
            "management.py",
            "discovery.py",
            "rules.py",
            "environment.py",
            "oidc.py",
        )
    ),
)
GITIGNORE = """# Written by idura-cognito hcl: what Terraform and idura-cognito create here never belongs in git.
.terraform/
.terraform.d/
.terraform.lock.hcl.bak
*.tfstate
*.tfstate.*
*.tfplan
.idura-cognito/
__pycache__/
"""


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
    autoescape=False,  # noqa: S701 - HCL and Markdown, not HTML; encoding.py encodes every value
)


def module_source() -> Path:
    """The Terraform module as installed with the package."""
    return module_folder()


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
    if stack.user_pool.is_existing:
        pool.pop("link_federated_users", None)  # a pool managed elsewhere: its triggers are not the product's
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
        {"identity_provider": _object_input("identity_provider", idp, always=("name", "scopes", "attributes"))},
    ]
    if stack.pinned_eids:
        pins = [
            {"name": e.name, "acr": e.acr}
            | ({"scopes": list(e.scopes)} if e.scopes else {})
            | ({"attributes": dict(e.attributes)} if e.attributes is not None else {})
            for e in stack.pinned_eids
        ]
        groups.append({"pinned_eids": pins})
    clients = {
        client.key: _object_input("app_client", client, always=("name", "oauth_scopes")) for client in stack.app_clients
    }
    groups.append({"app_clients": clients})
    if stack.existing_resource_servers:
        groups.append({"existing_resource_servers": list(stack.existing_resource_servers)})
    if stack.tags:
        groups.append({"tags": dict(stack.tags)})
    if stack.escrow.kms_key_id:
        groups.append({"escrow_kms_key_id": stack.escrow.kms_key_id})
    return groups


def application_inputs(stack: StackConfig) -> dict[str, Any]:
    post_logout = list(sign_out.post_logout_urls(stack))  # the clients' sign_out URLs (only when some sign out)
    return {
        "idura_domain": stack.idura.domain,
        "client_id": stack.idura.client_id,
        "application_name": stack.idura.application_name,
        "redirect_urls": [Raw("module.idura_cognito.idura_redirect_url")],
        **({"post_logout_urls": post_logout} if post_logout else {}),
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
    return body({"path": rendered_state_path(stack, out, project_dir)}, 2), Encoded("")


def _moved(stack: StackConfig) -> list[tuple[Encoded, Encoded]]:
    """From the CDKTF stack's addresses (either rendering plans the other's state), and a renamed client from its
    old key (its id stays)."""
    return [(Raw(source), Raw(target)) for source, target in addresses.moves_into_hcl(stack)]


def _imports(stack: StackConfig) -> list[tuple[Encoded, Encoded]]:
    return [(Raw(a.hcl), string(a.import_id)) for a in addresses.resources(stack) if a.import_id]


def _shown_source(source: str, out: Path) -> str:
    """The config file as the rendered files name it: relative to the root (never a path of this machine)."""
    try:
        return os.path.relpath(Path(source).resolve(), out.resolve()).replace(os.sep, "/")
    except ValueError:  # another drive
        return Path(source).name


def root_files(stack: StackConfig, source: str, out: Path, module: str) -> dict[str, bytes]:
    """The root configuration's own files, relative path -> content (``module``: where main.tf finds the
    module, ``./modules/idura-cognito`` or ``../modules/idura-cognito``). Writes nothing."""
    if managed_login.needs_styles(stack):  # the module runs provider 5: no branding resource (managed_login.py)
        raise ConfigError(*managed_login.refusal(stack, "the rendered HCL"), source)
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
        "source": string(_shown_source(source, out)),
        "module_source": string(module),
        "application_source": string(f"{module}/{APPLICATION_MODULE}"),
        "module_folder": Encoded(module.removeprefix("./")),
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
        "outputs": [(Encoded(o.name), string(o.description), o.sensitive) for o in ROOT_OUTPUTS],
        "moved": _moved(stack),
        "imports": _imports(stack),
        "region": string(stack.aws.region),
    }
    names = ["versions.tf", "providers.tf", "main.tf", "moved.tf", "outputs.tf", "README.md"]
    names += ["imports.tf"] if context["imports"] else []
    files = {name: _templates.get_template(f"{name}.j2").render(context).encode() for name in names}
    files[".gitignore"] = GITIGNORE.encode()
    return files


def module_files() -> dict[str, bytes]:
    """The module as installed with the package, relative to its folder."""
    source_dir = module_source()
    files = {}
    for relative in MODULE_FILES:
        try:
            files[relative] = source_dir.joinpath(*relative.split("/")).read_bytes()
        except OSError:
            raise RenderError(
                f"the installed package lacks modules/idura-cognito/{relative}: reinstall idura-cognito; "
                "nothing was written"
            ) from None
    return files


@dataclass
class Layout:
    """Where each root goes and where the one module goes, relative to the folder rendered into."""

    roots: dict[str, Path]  # stack name -> root folder
    module: Path  # the module folder (modules/idura-cognito)
    shared: bool  # the roots reference ../modules/idura-cognito

    @property
    def program(self) -> Path:
        """The program's folder: beside the ``modules/`` folder that holds the module (program_source.FOLDER)."""
        return self.module.parent.parent / program_source.FOLDER


def layout(out: Path, stacks: list[str], every: bool) -> Layout:
    """``--all``: ``out/<stack>`` per root, the module in ``out/modules``. One stack: the root in ``out``; it
    shares the module beside it when ``out/../modules/idura-cognito`` exists, else carries its own."""
    if every:
        return Layout({name: out / name for name in stacks}, out / MODULE_DIR, shared=True)
    (name,) = stacks
    beside = out.parent / MODULE_DIR
    if (beside / "main.tf").is_file() and not (out / MODULE_DIR / "main.tf").is_file():
        return Layout({name: out}, beside, shared=True)
    return Layout({name: out}, out / MODULE_DIR, shared=False)


def planned_files(stacks: dict[str, StackConfig], where: Layout, source: str) -> dict[Path, bytes]:
    """Every file of a render, by its path. Raises RenderError, writes nothing."""
    files: dict[Path, bytes] = {}
    reference = f"../{MODULE_DIR}" if where.shared else f"./{MODULE_DIR}"
    for name, root in where.roots.items():
        for relative, content in root_files(stacks[name], source, root, reference).items():
            files[root / relative] = content
    for relative, content in module_files().items():
        files[where.module / relative] = content
    for name, content in program_source.files().items():
        files[where.program / name] = content
    if where.shared:
        files[where.module.parent.parent / ".gitignore"] = GITIGNORE.encode()
    return files


def stale_files(where: Layout) -> list[Path]:
    """Files an earlier release rendered that this one does not: the zipapp of 0.2, and, where the roots now
    share one module, the copy of the module each root carried (only the files a render writes: anything else
    in those folders is the user's and stays)."""
    modules = {where.module} | {root / MODULE_DIR for root in where.roots.values()}
    found = [module / legacy for module in sorted(modules) for legacy in LEGACY_MODULE_FILES]
    for root in where.roots.values():
        if where.shared and (root / MODULE_DIR) != where.module:
            found += [root / MODULE_DIR / name for name in MODULE_FILES]
            found += [root / program_source.FOLDER / name for name in program_source.FILES]
    return [path for path in found if path.is_file()]


def render_layout(stacks: dict[str, StackConfig], where: Layout, source: str) -> tuple[list[Path], list[Path]]:
    """Write every file whose content changed and remove stale ones; returns (written or removed, unchanged)."""
    files = planned_files(stacks, where, source)
    written, unchanged = [], []
    for path, content in files.items():
        if path.exists() and path.read_bytes() == content:
            unchanged.append(path)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(content)
            temporary.chmod(0o644)
            temporary.replace(path)
        except OSError as exc:
            raise RenderError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
        written.append(path)
    for path in stale_files(where):
        path.unlink()
        written.append(path)
        folder = path.parent
        while folder not in where.roots.values() and folder not in (where.module, where.module.parent.parent):
            try:
                folder.rmdir()  # bin/, program/, a root's old modules/ folders: only when empty
            except OSError:
                break
            folder = folder.parent
    return written, unchanged


def differences(stacks: dict[str, StackConfig], where: Layout, source: str) -> list[Path]:
    """The files that are not what this config and this version would render (missing, different or stale)."""
    wrong = [
        p for p, content in planned_files(stacks, where, source).items() if not p.is_file() or p.read_bytes() != content
    ]
    return wrong + stale_files(where)


def render(stack: StackConfig, out: Path, source: str) -> tuple[list[str], list[str]]:
    """Render one stack into ``out`` (layout above); returns (written, unchanged) paths relative to ``out``."""
    where = layout(out, [stack.name], every=False)
    written, unchanged = render_layout({stack.name: stack}, where, source)

    def shown(paths: list[Path]) -> list[str]:
        return [os.path.relpath(path, out).replace(os.sep, "/") for path in paths]

    return shown(written), shown(unchanged)
