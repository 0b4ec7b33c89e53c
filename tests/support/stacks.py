"""The multi-environment config the synth and integration tests share (synthesized once per session).

These configs reach moto through ``AWS_ENDPOINT_URL`` (set by the ``moto`` fixture; the AWS provider and boto3
both honour it), not through ``aws.endpoint_url``: that setting renders the provider's ``endpoints`` block, which
costs the AWS provider 5.100 about 5 CPU-seconds per plan (`make bench`, FINDING plan-endpoints; even an empty
block), a cost production configs never pay. ``aws.endpoint_url`` itself runs with real Terraform in the demo, the
user path, the migration, the cdktf CLI and the S3 locking tests.
"""

from __future__ import annotations

import json
from pathlib import Path

IDURA_DOMAIN = "acme-corp.test.idura.broker"
MITID = "urn:grn:authn:dk:mitid:substantial"
NO_BANKID = "urn:grn:authn:no:bankid"
LOCALSTACK = "http://localhost:4566"


def test_config(state_dir: Path, existing_pool_id: str, existing_domain: str, idura_domain: str) -> dict:
    def local(name: str) -> dict:
        return {"type": "local", "path": str(state_dir / f"{name}.tfstate")}

    return {
        "defaults": {
            "aws": {"region": "eu-north-1"},
            "idura": {"domain": IDURA_DOMAIN},
            "app_client": {
                "callback_urls": ["https://app.acme.com/callback", "http://localhost:3000/callback"],
                "logout_urls": ["https://app.acme.com/"],
                "oauth_scopes": ["openid", "profile"],
            },
        },
        "stacks": {
            # A pool the product creates, with a custom attribute and two pinned eIDs.
            "newpool": {
                "idura": {"client_id": "urn:idura:test:newpool"},
                "user_pool": {"name": "acme-newpool"},
                "domain": {"prefix": "acme-newpool"},
                "identity_provider": {
                    "scopes": ["openid", "profile"],
                    "attributes": {"name": "name", "custom:ssn": "cprNumberIdentifier"},
                },
                "pinned_eids": [{"name": "NO-BankID", "acr": NO_BANKID}, {"name": "MitID", "acr": MITID}],
                "app_client": {"name": "acme-web"},
                "backend": local("newpool"),
            },
            # A pool and domain that exist already (created by the test fixture in moto).
            "existing": {
                "idura": {"client_id": "urn:idura:test:existing"},
                "user_pool": {"existing_id": existing_pool_id},
                "domain": {"existing": existing_domain},
                "identity_provider": {"name": "eID"},
                "pinned_eids": [
                    {"name": "MitID", "acr": MITID},
                    {"name": "SE-BankID", "acr": "urn:grn:authn:se:bankid"},
                ],
                "backend": local("existing"),
            },
            # Managed secret mode against the Idura emulator: the full lifecycle and the login.
            "managed": {
                "idura": {
                    "domain": idura_domain,
                    "client_id": "urn:idura:test:managed",
                    "secret_source": "managed",
                    "application_name": "Acme ${managed} %{test}",  # template characters: stay text,
                },
                "user_pool": {"name": "acme-managed"},
                "domain": {"prefix": "acme-managed"},
                "pinned_eids": [{"name": "MitID", "acr": MITID}],
                # MitID sends name but no given_name: the login test shows what Cognito stores then.
                "identity_provider": {"attributes": {"name": "name", "given_name": "given_name"}},
                "backend": local("managed"),
            },
            # Managed mode, deployed once and then broken link by link for the doctor.
            "doctor": {
                "idura": {
                    "domain": idura_domain,
                    "client_id": "urn:idura:test:doctor",
                    "secret_source": "managed",
                },
                "user_pool": {"name": "acme-doctor"},
                "domain": {"prefix": "acme-doctor"},
                # With scopes of its own: the doctor expects the pinned eID's, not the picker's.
                "pinned_eids": [{"name": "MitID", "acr": MITID, "scopes": ["openid", "ssn"]}],
                "backend": local("doctor"),
            },
            # Synth only: moto does not model custom domains with ACM certificates. An emulator's endpoint
            # (LocalStack's usual one) for every AWS service and the state bucket.
            "custom": {
                "aws": {"endpoint_url": LOCALSTACK},
                "idura": {"client_id": "acme-custom"},
                "user_pool": {"name": "acme-custom", "deletion_protection": True},
                "domain": {
                    "custom": "login.acme.com",
                    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f",
                    "managed_login_version": 2,
                },
                "backend": {
                    "type": "s3",
                    "bucket": "acme-tfstate",
                    "key": "idura-cognito/custom.tfstate",
                    "region": "eu-west-1",
                    "kms_key_id": "alias/tfstate",
                },
            },
        },
    }


def stack_json(outdir: Path, stack: str) -> dict:
    """The synthesized CDKTF JSON of ``stack`` under ``outdir``."""
    return json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
