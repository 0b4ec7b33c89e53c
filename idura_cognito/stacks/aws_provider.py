"""The AWS provider and the state backend of one environment.

Every config string passes the one encoder (``template_value``) on its way into the JSON: Terraform reads JSON
strings as templates, so an unescaped ``${`` in an endpoint would be evaluated while planning.
"""

from __future__ import annotations

import keyword
from pathlib import Path

from ..aws import EMULATED_SERVICES
from ..config.model import StackConfig
from ..definitions.backend import local_state_path, s3_backend_extras
from ..encoding import plain_literal, template_literal
from .bindings import AwsProvider, AwsProviderEndpoints
from .cdk import CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack


def add_aws_provider(stack: TerraformStack, config: StackConfig) -> AwsProvider:
    region = template_literal(config.aws.region)
    if config.aws.endpoint_url is None:
        return AwsProvider(stack, "aws", region=region)
    url = template_literal(config.aws.endpoint_url)
    # An emulator (moto server, LocalStack) has no real account, metadata API or region list.
    return AwsProvider(
        stack,
        "aws",
        region=region,
        # The bindings spell a service that is a Python keyword with a trailing underscore (lambda_).
        endpoints=[AwsProviderEndpoints(**{keyword.iskeyword(s) and f"{s}_" or s: url for s in EMULATED_SERVICES})],
        skip_credentials_validation=True,
        skip_requesting_account_id=True,
        skip_metadata_api_check="true",
        skip_region_validation=True,
    )


def add_backend(stack: TerraformStack, config: StackConfig, *, stack_dir: Path, project_dir: Path) -> None:
    backend = config.backend
    if backend.type == "s3":
        S3Backend(
            stack,
            bucket=plain_literal(backend.bucket or ""),
            key=plain_literal(backend.key or ""),
            region=_plain(backend.region),
            encrypt=backend.encrypt,
            kms_key_id=_plain(backend.kms_key_id),
            dynamodb_table=_plain(backend.dynamodb_table),
        )
        # Settings that postdate cdktf 0.21's S3Backend, set through overrides: S3-native locking (1.10+) and,
        # against an emulator, its endpoint.
        for key, value in s3_backend_extras(config).items():
            stack.add_override(f"terraform.backend.s3.{key}", _plain(value))
    elif backend.type == "cloud":
        CloudBackend(
            stack,
            organization=plain_literal(backend.organization or ""),
            hostname=_plain(backend.hostname),
            workspaces=NamedCloudWorkspace(plain_literal(backend.workspace or ""), project=_plain(backend.project)),
        )
    else:
        LocalBackend(stack, path=plain_literal(local_state_path(config, stack_dir, project_dir)))


def _plain(value):
    """A backend setting as Terraform's JSON reads it: literally (encoding.plain_literal), lists and tables too."""
    if isinstance(value, str):
        return plain_literal(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
