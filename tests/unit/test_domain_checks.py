"""The doctor's custom domain check (idura_cognito/doctor/domain_checks.py), one test per broken link, against
moto's ACM (a certificate imported there is ISSUED with the names it carries; a requested one stays
PENDING_VALIDATION, as ACM's is until its DNS validation record exists) and the moto wrapper's custom domains."""

from __future__ import annotations

import datetime
import uuid

import boto3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from idura_cognito.config.errors import ConfigError
from idura_cognito.doctor.domain_checks import certificate, covers
from tests.support.config import base_config, parsed_config

HOST = "login.acme.com"


def stack(arn: str):
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"custom": HOST, "certificate_arn": arn}
    return parsed_config(config, "idura-cognito.toml").stack("dev")


@pytest.fixture(scope="module")
def acm(moto):
    return boto3.client("acm", region_name="us-east-1", endpoint_url=moto.url)


def imported(acm, *names: str) -> str:
    """A self-signed certificate for ``names`` imported into ACM, as a team with its own CA does."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return acm.import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )["CertificateArn"]


def test_names_cover_the_host_exactly_or_by_a_one_label_wildcard():
    assert covers(["login.acme.com"], HOST)
    assert covers(["acme.com", "*.acme.com"], HOST)
    assert not covers(["*.login.acme.com"], HOST)
    assert not covers(["*.com"], HOST)
    assert not covers(["acme.com"], HOST)


def test_a_certificate_outside_us_east_1_is_refused_at_load_time_and_by_the_doctor_for_an_existing_domain():
    with pytest.raises(ConfigError, match=r"domain\.certificate_arn: .*us-east-1"):
        stack(f"arn:aws:acm:eu-north-1:123456789012:certificate/{uuid.uuid4()}")
    # An existing domain's certificate comes from Cognito's description, not the config.
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"existing": HOST}
    config["stacks"]["dev"]["user_pool"] = {"existing_id": "eu-north-1_Existing1"}
    elsewhere = f"arn:aws:acm:eu-north-1:123456789012:certificate/{uuid.uuid4()}"
    result = certificate(parsed_config(config, "idura-cognito.toml").stack("dev"), _Domain(elsewhere), None)
    assert result.status == "fail" and "eu-north-1" in result.detail and "us-east-1" in result.fix


def test_a_made_up_certificate_arn_fails(acm):
    arn = f"arn:aws:acm:us-east-1:123456789012:certificate/{uuid.uuid4()}"
    result = certificate(stack(arn), cognito=_Domain(), acm_us_east_1=acm)
    assert result.status == "fail" and "has no certificate" in result.detail


def test_a_certificate_for_another_name_fails(acm):
    result = certificate(stack(imported(acm, "other.example.com")), cognito=_Domain(), acm_us_east_1=acm)
    assert result.status == "fail" and "other.example.com" in result.detail and HOST in result.detail


def test_a_certificate_still_pending_validation_fails(acm):
    arn = acm.request_certificate(DomainName=HOST, ValidationMethod="DNS")["CertificateArn"]
    result = certificate(stack(arn), cognito=_Domain(), acm_us_east_1=acm)
    assert result.status == "fail" and "PENDING_VALIDATION" in result.detail


def test_an_issued_certificate_passes_and_names_the_dns_records_for_the_domains_distribution(acm, boto):
    arn = imported(acm, "acme.com", "*.acme.com")
    cognito = boto("cognito-idp")
    pool = cognito.create_user_pool(PoolName=f"domain-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    host = f"login-{uuid.uuid4().hex[:6]}.acme.com"
    cognito.create_user_pool_domain(Domain=host, UserPoolId=pool, CustomDomainConfig={"CertificateArn": arn})
    distribution = cognito.describe_user_pool_domain(Domain=host)["DomainDescription"]["CloudFrontDistribution"]
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"custom": host, "certificate_arn": arn}
    result = certificate(parsed_config(config, "idura-cognito.toml").stack("dev"), cognito, acm)
    assert result.status == "pass"
    assert f"A and AAAA alias records {host} -> {distribution} (hosted zone Z2FDTNDATAQYW2)" in result.detail


class _Domain:
    """Cognito's description of a domain with ``arn`` (None: not deployed yet, and the check falls back to the
    config's certificate)."""

    def __init__(self, arn: str | None = None) -> None:
        self.arn = arn

    def describe_user_pool_domain(self, Domain):  # noqa: N803 - boto3's keyword
        return {"DomainDescription": {"CustomDomainConfig": {"CertificateArn": self.arn}} if self.arn else {}}
