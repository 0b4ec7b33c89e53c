"""Render one environment as a self-contained Terraform root configuration.

`<out>/` gets versions.tf (providers, backend or Terraform Cloud), providers.tf, main.tf (the module call with
this environment's values), outputs.tf, a README, and `modules/idura-cognito/` (the module, plus in managed mode
`bin/idura_application.pyz`, the external program carrying httpx). The render is deterministic and writes a file
only when its content changes, so rendering twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

import idura_cognito

from ..aws import EMULATED_SERVICES
from ..config.model import StackConfig
from . import program_bundle
from .values import body, string

MODULE_SOURCE = Path(idura_cognito.__file__).resolve().parent.parent / "modules" / "idura-cognito"
MODULE_FILES = ("*.tf", "README.md")
OUTPUTS = (
    ("user_pool_id", "Id of the Cognito user pool."),
    ("app_client_id", "Id of the Cognito app client for the code flow."),
    ("idura_redirect_url", "Register this redirect URL on the Idura application."),
    ("issuer", "Issuer of the tokens Cognito gives your applications."),
    ("idura_issuer", "Issuer Cognito trusts for Idura logins."),
    ("escrow_secret_name", "Secrets Manager secret that escrows the client secret."),
    ("hosted_login_urls", "Per identity provider: a hosted login URL that starts that provider's login at once."),
    ("idura_application_id", "Managed mode: id of the application at Idura."),
)

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("idura_cognito.hcl", "templates"),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    autoescape=False,  # noqa: S701 - HCL and Markdown, not HTML; values are escaped by values.string
)


def module_inputs(stack: StackConfig) -> list[dict[str, Any]]:
    """The module's arguments, as groups separated by blank lines (scalars first, then one object each)."""
    pool = {"name": stack.user_pool.name} if stack.user_pool.name else {"existing_id": stack.user_pool.existing_id}
    if stack.user_pool.name:
        pool["deletion_protection"] = stack.user_pool.deletion_protection
    domain = {
        k: v
        for k, v in (
            ("prefix", stack.domain.prefix),
            ("custom", stack.domain.custom),
            ("certificate_arn", stack.domain.certificate_arn),
            ("existing", stack.domain.existing),
        )
        if v is not None
    }
    if stack.domain.kind != "existing":
        domain["managed_login_version"] = stack.domain.managed_login_version
    idp = stack.identity_provider
    groups: list[dict[str, Any]] = [
        {
            "stack_name": stack.name,
            "aws_region": stack.aws.region,
            "idura_domain": stack.idura.domain,
            "client_id": stack.idura.client_id,
            "application_name": stack.idura.application_name,
            "secret_source": stack.idura.secret_source,
        },
        {"user_pool": pool},
        {"domain": domain},
        {"identity_provider": {"name": idp.name, "scopes": list(idp.scopes), "attributes": dict(idp.attributes)}},
    ]
    if stack.pinned_eids:
        groups.append({"pinned_eids": [{"name": e.name, "acr": e.acr} for e in stack.pinned_eids]})
    client = stack.app_client
    groups.append(
        {
            "app_client": {
                "name": client.name,
                "callback_urls": list(client.callback_urls),
                "logout_urls": list(client.logout_urls),
                "oauth_scopes": list(client.oauth_scopes),
            }
        }
    )
    return groups


def _backend_bodies(stack: StackConfig) -> tuple[str, str]:
    backend = stack.backend
    if backend.type == "s3":
        values = {
            "bucket": backend.bucket,
            "key": backend.key,
            "region": backend.region,
            "encrypt": backend.encrypt,
            "use_lockfile": backend.use_lockfile,
            "kms_key_id": backend.kms_key_id,
            "dynamodb_table": backend.dynamodb_table,
        }
        return body({k: v for k, v in values.items() if v is not None}, 2), ""
    if backend.type == "cloud":
        values = {"organization": backend.organization, "hostname": backend.hostname}
        workspace = {"name": backend.workspace, "project": backend.project}
        return (
            body({k: v for k, v in values.items() if v is not None}, 2),
            body({k: v for k, v in workspace.items() if v is not None}, 3),
        )
    return (body({"path": backend.path}, 2) if backend.path else ""), ""


def render_files(stack: StackConfig, source: str) -> dict[str, bytes]:
    """Every file of the root configuration, relative path -> content."""
    backend_body, workspace_body = _backend_bodies(stack)
    provider: dict[str, Any] = {"region": stack.aws.region}
    endpoint_url = stack.aws.endpoint_url
    if endpoint_url:
        provider |= {
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
        }
    context = {
        "stack": stack,
        "source": source,
        "backend": stack.backend,
        "backend_body": backend_body,
        "workspace_body": workspace_body,
        "provider_body": body(provider, 1),
        "endpoint_url": endpoint_url,
        "endpoints_body": body(dict.fromkeys(sorted(EMULATED_SERVICES), endpoint_url), 2) if endpoint_url else "",
        "module_body": "\n\n".join(body(group, 1) for group in module_inputs(stack)),
        "outputs": [(name, string(description)) for name, description in OUTPUTS],
    }
    files = {
        name: _templates.get_template(f"{name}.j2").render(context).encode()
        for name in ("versions.tf", "providers.tf", "main.tf", "outputs.tf", "README.md")
    }
    for pattern in MODULE_FILES:
        for path in sorted(MODULE_SOURCE.glob(pattern)):
            files[f"modules/idura-cognito/{path.name}"] = path.read_bytes()
    if stack.idura.managed:
        files["modules/idura-cognito/bin/idura_application.pyz"] = program_bundle.build()
    return files


def render(stack: StackConfig, out: Path, source: str) -> tuple[list[str], list[str]]:
    """Write the root configuration into ``out``; returns (written, unchanged) relative paths."""
    written, unchanged = [], []
    for relative, content in render_files(stack, source).items():
        path = out / relative
        if path.exists() and path.read_bytes() == content:
            unchanged.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if relative.endswith(".pyz"):
            path.chmod(0o755)
        written.append(relative)
    return written, unchanged
