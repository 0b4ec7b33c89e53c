"""A custom domain plans clean after its apply: the real Terraform and AWS provider 5.100 against the moto wrapper.

moto 5.2.1 answers DescribeUserPoolDomain without ``CustomDomainConfig``; the provider then reads
``certificate_arn = ""`` and plans to replace ``aws_cognito_user_pool_domain`` (none to an ARN forces a new
domain) on every plan. The wrapper answers the certificate and a CloudFront distribution as Cognito does
(idura_cognito/local/moto_server.py, _custom_domain_json).
"""

from __future__ import annotations

import json

import pytest

from idura_cognito.definitions.versions import AWS_PROVIDER_PINNED
from tests.support.terraform import PLAN, TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 25

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
RENEWED = "arn:aws:acm:us-east-1:123456789012:certificate/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"

ROOT_TF = """
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "%(version)s"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

variable "certificate_arn" {
  type = string
}

resource "aws_cognito_user_pool" "pool" {
  name = "custom-domain-plan"
}

resource "aws_cognito_user_pool_domain" "login" {
  domain                = "login.plan.acme.example"
  certificate_arn       = var.certificate_arn
  managed_login_version = 2
  user_pool_id          = aws_cognito_user_pool.pool.id
}

output "domain" {
  value = {
    cloudfront_distribution         = aws_cognito_user_pool_domain.login.cloudfront_distribution
    cloudfront_distribution_arn     = aws_cognito_user_pool_domain.login.cloudfront_distribution_arn
    cloudfront_distribution_zone_id = aws_cognito_user_pool_domain.login.cloudfront_distribution_zone_id
    certificate_arn                 = aws_cognito_user_pool_domain.login.certificate_arn
  }
}
"""


@pytest.fixture(scope="module")
def custom_domain(tmp_path_factory, moto, cli_config):
    """Apply, plan again; then a new certificate in place, and plan again. Records what the tests assert."""
    root = tmp_path_factory.mktemp("custom-domain")
    (root / "main.tf").write_text(ROOT_TF % {"version": AWS_PROVIDER_PINNED})
    tf = TerraformDir.at(root, cli_config)
    tf.run("init", "-input=false")
    tf.run("apply", "-input=false", "-auto-approve", f"-var=certificate_arn={CERTIFICATE}")
    r = {"outputs": tf.all_outputs()["domain"]}
    r["plan"] = tf.attempt(*PLAN, f"-var=certificate_arn={CERTIFICATE}")
    renew = tf.attempt("plan", "-input=false", "-out=renew.tfplan", f"-var=certificate_arn={RENEWED}")
    assert renew[0] == 0, renew[1]
    r["renew_plan"] = json.loads(tf.run("show", "-json", "renew.tfplan").stdout)
    tf.run("apply", "-input=false", "renew.tfplan")
    r["after_renew"] = tf.all_outputs()["domain"]
    r["plan_after_renew"] = tf.attempt(*PLAN, f"-var=certificate_arn={RENEWED}")
    return r


def test_a_custom_domain_plans_no_changes_after_its_apply(custom_domain):
    code, output = custom_domain["plan"]
    assert code == 0, output


def test_the_domain_exposes_its_certificate_and_cloudfront_alias_target(custom_domain):
    domain = custom_domain["outputs"]
    assert domain["certificate_arn"] == CERTIFICATE
    assert domain["cloudfront_distribution"].endswith(".cloudfront.net")
    assert domain["cloudfront_distribution_arn"] == domain["cloudfront_distribution"]  # the provider sets both
    assert domain["cloudfront_distribution_zone_id"] == "Z2FDTNDATAQYW2"


def test_a_new_certificate_updates_the_domain_in_place_and_keeps_its_distribution(custom_domain):
    [change] = [
        c for c in custom_domain["renew_plan"]["resource_changes"] if c["type"] == "aws_cognito_user_pool_domain"
    ]
    assert change["change"]["actions"] == ["update"]
    assert custom_domain["after_renew"]["certificate_arn"] == RENEWED
    assert (
        custom_domain["after_renew"]["cloudfront_distribution"] == custom_domain["outputs"]["cloudfront_distribution"]
    )
    code, output = custom_domain["plan_after_renew"]
    assert code == 0, output
