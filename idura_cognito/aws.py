"""boto3 clients that honour a stack's AWS settings (region, emulator endpoint), as the Terraform stack does."""

from __future__ import annotations

from typing import Any

from .config.model import AwsSettings

#: Services the Terraform stacks call; with an emulator endpoint all of them go there.
EMULATED_SERVICES = ("cognitoidp", "secretsmanager", "sts", "iam", "lambda", "logs")


def aws_client(service: str, settings: AwsSettings) -> Any:
    """A client with bounded waits: an endpoint that never answers costs seconds, not boto3's default minutes."""
    import boto3  # deferred: boto3 costs ~0.3 s to import and most commands never call AWS
    from botocore.config import Config

    bounded = Config(connect_timeout=10, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
    return boto3.session.Session().client(
        service, region_name=settings.region, endpoint_url=settings.endpoint_url, config=bounded
    )


def describe_aws_error(exc: Exception) -> str:
    """One line for a botocore error, without request data (which may hold a secret)."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
    if isinstance(exc, EndpointConnectionError):
        return f"cannot reach AWS at {exc.kwargs.get('endpoint_url', 'its endpoint')}"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"AWS refused {exc.operation_name}: {error.get('Code', '?')}: {error.get('Message', '')}".rstrip()
    return f"AWS call failed: {exc.__class__.__name__}"
