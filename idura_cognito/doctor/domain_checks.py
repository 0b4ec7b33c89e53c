"""A custom login domain works only with an issued ACM certificate in us-east-1 that covers it, and a DNS alias
to the CloudFront distribution Cognito made for it (Cognito developer guide, "Using your own domain for managed
login": the certificate must be in US East (N. Virginia); the A/AAAA alias points at the domain's CloudFront
distribution). This check reads ACM and the domain's description; it cannot see your DNS zone, so it names the
records to create."""

from __future__ import annotations

from typing import Any

from ..config.model import StackConfig
from .results import CheckResult, failed, passed, skipped

ID = "cognito.custom_domain"
TITLE = "The custom domain's certificate is issued in us-east-1 and covers the domain"
#: Route 53's hosted zone id for every CloudFront alias target (botocore route53 AliasTarget.HostedZoneId).
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"


def covers(names: list[str], host: str) -> bool:
    """Whether a certificate for ``names`` is valid for ``host``: an exact name, or a wildcard for exactly one
    label (RFC 6125 6.4.3: ``*.acme.com`` covers ``login.acme.com``, not ``a.login.acme.com`` or ``acme.com``)."""
    host = host.lower().rstrip(".")
    for name in (n.lower().rstrip(".") for n in names if isinstance(n, str)):
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def dns_records(host: str, distribution: str) -> str:
    return f"A and AAAA alias records {host} -> {distribution} (hosted zone {CLOUDFRONT_ZONE_ID})"


def certificate(stack: StackConfig, cognito: Any, acm_us_east_1: Any) -> CheckResult:
    """``acm_us_east_1``: an ACM client in us-east-1 (None: the check is skipped)."""
    if stack.domain.kind == "prefix":
        return skipped(ID, TITLE, "a prefix domain uses Cognito's own certificate")
    try:
        described = cognito.describe_user_pool_domain(Domain=stack.domain.cognito_domain)["DomainDescription"]
    except Exception:  # noqa: BLE001 - cognito.domain reports the domain itself
        described = None
    described = described or {}
    arn = (described.get("CustomDomainConfig") or {}).get("CertificateArn") or stack.domain.certificate_arn
    if not arn:
        return skipped(ID, TITLE, "Cognito names no certificate for the domain (a prefix domain, or not readable)")
    host = stack.cognito_host
    region = arn.split(":")[3] if arn.count(":") >= 5 else ""
    if region != "us-east-1":
        return failed(
            ID,
            TITLE,
            f"the certificate is in {region or 'no region'}; Cognito takes a custom domain's certificate only from "
            "us-east-1",
            f"request or import a certificate for {host} in ACM in us-east-1 and set domain.certificate_arn to it",
        )
    if acm_us_east_1 is None:
        return skipped(ID, TITLE, "no ACM client")
    try:
        found = acm_us_east_1.describe_certificate(CertificateArn=arn)["Certificate"]
    except Exception as exc:  # noqa: BLE001 - any answer but a certificate is this check's finding
        code = ((getattr(exc, "response", None) or {}).get("Error") or {}).get("Code") or type(exc).__name__
        if code == "ResourceNotFoundException":
            return failed(
                ID, TITLE, f"ACM in us-east-1 has no certificate {arn}", "set domain.certificate_arn to yours"
            )
        return failed(ID, TITLE, f"ACM in us-east-1 did not describe {arn} ({code})", "check the AWS credentials")
    names = [found.get("DomainName")] + list(found.get("SubjectAlternativeNames") or [])
    names = [n for n in names if isinstance(n, str) and n]
    if not covers(names, host):
        return failed(
            ID,
            TITLE,
            f"the certificate is for {', '.join(sorted(set(names))) or 'no name'}, not {host}",
            f"use a certificate whose name or a subject alternative name is {host} (or *.{host.split('.', 1)[-1]})",
        )
    status = found.get("Status", "?")
    if status != "ISSUED":
        return failed(
            ID,
            TITLE,
            f"the certificate's status is {status}",
            "finish its validation in ACM (us-east-1): Cognito needs an issued certificate",
        )
    distribution = described.get("CloudFrontDistribution")
    records = dns_records(host, distribution) if distribution else "the alias records Cognito names for the domain"
    return passed(ID, TITLE, f"in your DNS zone: {records}")
