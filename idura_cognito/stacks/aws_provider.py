"""The AWS provider and the state backend of one environment."""

from __future__ import annotations

from cdktf import CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack

from ..aws import EMULATED_SERVICES
from ..config.model import StackConfig
from .bindings import AwsProvider, AwsProviderEndpoints


def add_aws_provider(stack: TerraformStack, config: StackConfig) -> AwsProvider:
    url = config.aws.endpoint_url
    if url is None:
        return AwsProvider(stack, "aws", region=config.aws.region)
    # An emulator (moto server, LocalStack) has no real account, metadata API or region list.
    return AwsProvider(
        stack,
        "aws",
        region=config.aws.region,
        endpoints=[AwsProviderEndpoints(**dict.fromkeys(EMULATED_SERVICES, url))],
        skip_credentials_validation=True,
        skip_requesting_account_id=True,
        skip_metadata_api_check="true",
        skip_region_validation=True,
    )


def add_backend(stack: TerraformStack, config: StackConfig) -> None:
    backend = config.backend
    if backend.type == "s3":
        S3Backend(
            stack,
            bucket=backend.bucket or "",
            key=backend.key or "",
            region=backend.region,
            encrypt=backend.encrypt,
            kms_key_id=backend.kms_key_id,
            dynamodb_table=backend.dynamodb_table,
        )
        if backend.use_lockfile:
            # S3-native locking (Terraform 1.10+) postdates cdktf 0.21's S3Backend; set it through an override.
            stack.add_override("terraform.backend.s3.use_lockfile", True)
    elif backend.type == "cloud":
        CloudBackend(
            stack,
            organization=backend.organization or "",
            hostname=backend.hostname,
            workspaces=NamedCloudWorkspace(backend.workspace or "", project=backend.project),
        )
    elif backend.path is not None:
        LocalBackend(stack, path=backend.path)
    # else: CDKTF's default local backend, terraform.<stack>.tfstate in the project folder.
