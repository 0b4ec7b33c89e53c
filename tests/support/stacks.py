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
#: The one client of 0.3's [app_client] table, as most stacks keep it.
WEB_CLIENT = {
    "callback_urls": ["https://app.acme.com/callback", "http://localhost:3000/callback"],
    "logout_urls": ["https://app.acme.com/"],
    "oauth_scopes": ["openid", "profile"],
}
#: Three clients on one login (issue 35): a public single-page app (code flow, PKCE), a confidential backend
#: (client credentials on the API's own scope), and a mobile app with a custom-scheme callback.
THREE_CLIENTS = {
    "spa": {
        "callback_urls": ["https://app.acme.com/callback"],
        "logout_urls": ["https://app.acme.com/"],
        "oauth_scopes": ["openid", "profile"],
        "sign_out": "https://app.acme.com/signed-out",
    },
    "backend": {
        "generate_secret": True,
        "oauth_flows": ["client_credentials"],
        "oauth_scopes": ["https://api.acme.com/read"],
    },
    "mobile": {
        "callback_urls": ["com.acme.app://callback"],
        "oauth_scopes": ["openid"],
        "identity_providers": ["MitID"],
    },
}


def test_config(state_dir: Path, existing_pool_id: str, existing_domain: str, idura_domain: str) -> dict:
    def local(name: str) -> dict:
        return {"type": "local", "path": str(state_dir / f"{name}.tfstate")}

    return {
        "defaults": {
            "aws": {"region": "eu-north-1"},
            "idura": {"domain": IDURA_DOMAIN},
        },
        "stacks": {
            # A pool the product creates: the picker, pinned NO BankID and MitID, each mapping its own national id
            # claim into one custom attribute, and three clients.
            "newpool": {
                "idura": {"client_id": "urn:idura:test:newpool"},
                "user_pool": {"name": "acme-newpool"},
                "domain": {"prefix": "acme-newpool"},
                "identity_provider": {
                    "scopes": ["openid", "profile"],
                    "attributes": {"name": "name", "custom:national_id": "cprNumberIdentifier"},
                },
                "pinned_eids": [
                    {
                        "name": "NO-BankID",
                        "acr": NO_BANKID,
                        "scopes": ["openid", "ssn"],
                        "attributes": {"name": "name", "custom:national_id": "@national_id"},
                    },
                    {
                        "name": "MitID",
                        "acr": MITID,
                        "scopes": ["openid", "ssn"],
                        "attributes": {"name": "name", "custom:national_id": "@national_id"},
                    },
                ],
                "app_clients": THREE_CLIENTS,
                "backend": local("newpool"),
            },
            # A pool and domain that exist already (created by the test fixture in moto).
            "existing": {
                "app_client": WEB_CLIENT,
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
                "app_client": WEB_CLIENT,
                "idura": {
                    "domain": idura_domain,
                    "client_id": "urn:idura:test:managed",
                    "secret_source": "managed",
                    "application_name": "Acme ${managed} %{test}",  # template characters: stay text,
                },
                "user_pool": {"name": "acme-managed"},
                "domain": {"prefix": "acme-managed"},
                # MitID sends name but no given_name: it maps only name (the picker's given_name would be refused).
                "pinned_eids": [{"name": "MitID", "acr": MITID, "attributes": {"name": "name"}}],
                "identity_provider": {"attributes": {"name": "name", "given_name": "given_name"}},
                "backend": local("managed"),
            },
            # Managed mode, deployed once and then broken link by link for the doctor.
            "doctor": {
                "app_client": WEB_CLIENT,
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
                "app_client": WEB_CLIENT,
                "aws": {"endpoint_url": LOCALSTACK},
                "idura": {"client_id": "acme-custom"},
                "user_pool": {"name": "acme-custom", "deletion_protection": True},
                "domain": {
                    "custom": "login.acme.com",
                    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f",
                    "managed_login_version": 1,  # 2 needs CDK Terrain: tests/synth/test_cdk_terrain.py
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
