"""What `idura-cognito synth` writes: resources and properties per environment (one shared synth)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import quote

import pytest

from idura_cognito.hcl import program_source
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.paths import ROOT
from tests.support.stacks import IDURA_DOMAIN, LOCALSTACK, stack_json

ESCROW_LOOKUP = "data.aws_secretsmanager_secrets.escrow"

XDIST_GROUP = "synthesized"  # one worker synthesizes the test stacks once (session fixture) for both files


@pytest.fixture(scope="module")
def newpool(synthesized):
    return stack_json(synthesized[1], "newpool")


@pytest.fixture(scope="module")
def existing(synthesized):
    return stack_json(synthesized[1], "existing")


@pytest.fixture(scope="module")
def custom(synthesized):
    return stack_json(synthesized[1], "custom")


def resources(stack: dict, kind: str) -> dict:
    return {
        name: {k: v for k, v in body.items() if k != "//"} for name, body in stack["resource"].get(kind, {}).items()
    }


def test_one_stack_per_environment(synthesized):
    _, outdir = synthesized
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == [
        "custom",
        "doctor",
        "existing",
        "managed",
        "newpool",
    ]


def test_new_pool_requires_no_attribute_and_declares_mapped_custom_attributes(newpool):
    pool = resources(newpool, "aws_cognito_user_pool")["user_pool"]
    assert pool["name"] == "acme-newpool"
    assert pool["schema"] == [  # the custom attribute every provider maps its national id into, declared once
        {
            "name": "national_id",
            "attribute_data_type": "String",
            "mutable": True,
            "string_attribute_constraints": {"min_length": "0", "max_length": "2048"},
        }
    ]
    assert "required" not in str(pool)  # email (or anything) required would break eID logins
    assert pool["admin_create_user_config"] == {"allow_admin_create_user_only": True}
    assert pool["deletion_protection"] == "INACTIVE"


def test_prefix_domain_with_classic_hosted_ui(newpool):
    domain = resources(newpool, "aws_cognito_user_pool_domain")["domain"]
    assert domain == {
        "domain": "acme-newpool",
        "managed_login_version": 1,
        "user_pool_id": "${aws_cognito_user_pool.user_pool.id}",
    }
    # No DNS records to create, and a list rather than null (the cdktf CLI cannot read a null output).
    assert newpool["locals"]["domain_dns_records"] == []


def test_idura_provider_uses_discovery_at_the_bare_issuer(newpool):
    idp = resources(newpool, "aws_cognito_identity_provider")["idura"]
    assert idp["provider_name"] == "Idura"
    assert idp["provider_type"] == "OIDC"
    details = idp["provider_details"]
    assert details["oidc_issuer"] == f"https://{IDURA_DOMAIN}"
    assert details["attributes_request_method"] == "GET"
    assert details["authorize_scopes"] == "openid profile"
    assert details["client_id"] == "urn:idura:test:newpool"
    assert "authorize_url" not in details
    assert idp["attribute_mapping"] == {
        "username": "sub",
        "name": "name",
        "custom:national_id": "cprNumberIdentifier",
    }


@pytest.mark.parametrize(("resource", "claim"), [("eid_no_bankid", "socialno"), ("eid_mitid", "cprNumberIdentifier")])
def test_each_pinned_eid_maps_its_own_national_id_claim_into_the_one_attribute(newpool, resource, claim):
    """@national_id became the claim that eID sends (Norwegian BankID: socialno; MitID: cprNumberIdentifier), each
    asked for with its own scopes."""
    idp = resources(newpool, "aws_cognito_identity_provider")[resource]
    assert idp["attribute_mapping"] == {"username": "sub", "name": "name", "custom:national_id": claim}
    assert idp["provider_details"]["authorize_scopes"] == "openid ssn"


@pytest.mark.parametrize(
    ("resource", "name", "segment"),
    [
        ("eid_no_bankid", "NO-BankID", "dXJuOmdybjphdXRobjpubzpiYW5raWQ="),
        ("eid_mitid", "MitID", "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="),
    ],
)
def test_pinned_eid_provider_has_manual_endpoints_with_base64_acr(newpool, resource, name, segment):
    idp = resources(newpool, "aws_cognito_identity_provider")[resource]
    details = idp["provider_details"]
    assert idp["provider_name"] == name
    assert details["authorize_url"] == f"https://{IDURA_DOMAIN}/{segment}/oauth2/authorize"
    assert details["token_url"] == f"https://{IDURA_DOMAIN}/oauth2/token"
    assert details["attributes_url"] == f"https://{IDURA_DOMAIN}/oauth2/userinfo"
    assert details["jwks_uri"] == f"https://{IDURA_DOMAIN}/.well-known/jwks"
    assert details["oidc_issuer"] == f"https://{IDURA_DOMAIN}"


def test_every_provider_gets_the_escrowed_secret_through_sensitive(newpool):
    for idp in resources(newpool, "aws_cognito_identity_provider").values():
        assert idp["provider_details"]["client_secret"] == "${local.client_secret}"
    locals_ = newpool["locals"]
    assert locals_["client_secret"].startswith("${sensitive(")
    # The escrow is one JSON document (secret and Idura id together); a plain string from before reads as the secret.
    assert "try(jsondecode(local.escrow_document).client_secret, local.escrow_document)" in locals_["escrowed_secret"]
    assert locals_["escrow_document"] == "${one(data.aws_secretsmanager_secret_version.escrow[*].secret_string)}"


def test_escrow_lookup_is_exact_and_fails_with_the_command_to_run(newpool):
    lookup = newpool["data"]["aws_secretsmanager_secrets"]["escrow"]
    name = "idura-cognito/acme-corp.test.idura.broker/urn-idura-test-newpool-"
    assert lookup["filter"][0]["name"] == "name"
    assert lookup["filter"][0]["values"][0].startswith(name)
    postcondition = lookup["lifecycle"]["postcondition"][0]
    assert postcondition["condition"].startswith("${contains(self.names, ")  # exact, not the prefix filter
    assert postcondition["error_message"].endswith("Store it once with: idura-cognito secret put --stack newpool")
    version = newpool["data"]["aws_secretsmanager_secret_version"]["escrow"]
    assert version["count"] == "${local.escrow_has_value ? 1 : 0}"  # an escrow may exist without a value yet
    versions = newpool["data"]["aws_secretsmanager_secret_versions"]["escrow"]
    assert versions["count"] == "${local.escrow_exists ? 1 : 0}"
    assert newpool["locals"]["escrow_exists"] == (
        "${contains(data.aws_secretsmanager_secrets.escrow.names, local.escrow_name)}"
    )


def test_each_app_client_references_the_provider_resources_it_offers(newpool):
    clients = resources(newpool, "aws_cognito_user_pool_client")
    assert sorted(clients) == ["app_client_backend", "app_client_mobile", "app_client_spa"]
    spa = clients["app_client_spa"]
    assert spa["name"] == "spa" and "generate_secret" not in spa  # a public client: no secret, code flow
    assert spa["allowed_oauth_flows"] == ["code"]
    assert spa["allowed_oauth_flows_user_pool_client"] is True
    assert spa["allowed_oauth_scopes"] == ["openid", "profile"]
    assert spa["callback_urls"] == ["https://app.acme.com/callback"]
    assert spa["supported_identity_providers"] == [
        "${aws_cognito_identity_provider.idura.provider_name}",
        "${aws_cognito_identity_provider.eid_no_bankid.provider_name}",
        "${aws_cognito_identity_provider.eid_mitid.provider_name}",
    ]
    mobile = clients["app_client_mobile"]
    assert mobile["callback_urls"] == ["com.acme.app://callback"]
    assert mobile["supported_identity_providers"] == ["${aws_cognito_identity_provider.eid_mitid.provider_name}"]
    backend = clients["app_client_backend"]
    assert backend["generate_secret"] is True and backend["allowed_oauth_flows"] == ["client_credentials"]
    assert "supported_identity_providers" not in backend and "callback_urls" not in backend
    (server,) = newpool["resource"]["aws_cognito_resource_server"]
    assert backend["depends_on"] == [f"aws_cognito_resource_server.{server}"]  # its scope exists first


def test_a_custom_scope_creates_its_resource_server(newpool):
    (server,) = resources(newpool, "aws_cognito_resource_server").values()
    assert server["identifier"] == "https://api.acme.com"
    assert server["name"] == "https-api.acme.com"
    assert server["scope"] == [{"scope_name": "read", "scope_description": "Scope read"}]


def test_sign_out_goes_through_cognito_then_idura(newpool):
    """The SPA's sign-out: Cognito's /logout redirects to Idura's end-session URL, one of the client's sign-out
    URLs, which returns to the app (definitions/sign_out.py)."""
    spa = resources(newpool, "aws_cognito_user_pool_client")["app_client_spa"]
    idura_logout = (
        f"https://{IDURA_DOMAIN}/oauth2/logout?client_id=urn%3Aidura%3Atest%3Anewpool"
        "&post_logout_redirect_uri=https%3A%2F%2Fapp.acme.com%2Fsigned-out"
    )
    assert spa["logout_urls"] == ["https://app.acme.com/", idura_logout]
    out = newpool["locals"]["app_clients_output"]["spa"]
    assert out["sign_out_url"] == (
        "https://acme-newpool.auth.eu-north-1.amazoncognito.com/logout?client_id="
        "${aws_cognito_user_pool_client.app_client_spa.id}&logout_uri=" + quote(idura_logout, safe="")
    )
    assert newpool["locals"]["app_clients_output"]["backend"]["sign_out_url"] == "${tostring(null)}"


def test_outputs_are_the_shared_definitions_over_the_stacks_locals(newpool):
    from idura_cognito.definitions.outputs import ROOT_OUTPUTS

    outputs = newpool["output"]
    # Hand-registered: no application id (null; Terraform stores no null output, the HCL root shows none either).
    expected = [o for o in ROOT_OUTPUTS if o.name != "idura_application_id"]
    assert {name: body["value"] for name, body in outputs.items()} == {o.name: "${" + o.value + "}" for o in expected}
    assert {name: body["description"] for name, body in outputs.items()} == {o.name: o.description for o in expected}
    assert {name for name, body in outputs.items() if body.get("sensitive")} == {"app_client_secrets"}
    host = "acme-newpool.auth.eu-north-1.amazoncognito.com"
    locals_ = newpool["locals"]
    assert locals_["redirect_url"] == f"https://{host}/oauth2/idpresponse"
    assert locals_["user_pool_id"] == "${aws_cognito_user_pool.user_pool.id}"
    assert locals_["app_client_id"] == "${aws_cognito_user_pool_client.app_client_spa.id}"  # the first login client
    assert sorted(locals_["hosted_login_urls"]) == ["Idura", "MitID", "NO-BankID"]
    assert locals_["idura_issuer"] == f"https://{IDURA_DOMAIN}"
    assert locals_["app_client_secrets"] == {
        "backend": "${sensitive(aws_cognito_user_pool_client.app_client_backend.client_secret)}"
    }


def test_moved_blocks_lead_from_every_module_address_of_the_rendered_hcl(newpool):
    moved = {m["from"]: m["to"] for m in newpool["moved"]}
    assert moved == {
        "module.idura_cognito.aws_cognito_user_pool.user_pool[0]": "aws_cognito_user_pool.user_pool",
        "module.idura_cognito.aws_cognito_user_pool_domain.domain[0]": "aws_cognito_user_pool_domain.domain",
        "module.idura_cognito.aws_cognito_identity_provider.idura": "aws_cognito_identity_provider.idura",
        'module.idura_cognito.aws_cognito_identity_provider.eid["NO-BankID"]': (
            "aws_cognito_identity_provider.eid_no_bankid"
        ),
        'module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]': "aws_cognito_identity_provider.eid_mitid",
        **{
            f'module.idura_cognito.aws_cognito_user_pool_client.app_client["{key}"]': (
                f"aws_cognito_user_pool_client.app_client_{key}"
            )
            for key in ("spa", "backend", "mobile")
        },
        'module.idura_cognito.aws_cognito_resource_server.resource_server["https://api.acme.com"]': (
            "aws_cognito_resource_server." + next(iter(newpool["resource"]["aws_cognito_resource_server"]))
        ),
        # The linking trigger: a created pool with pinned eIDs (count = 1 in the module).
        **{
            f"module.idura_cognito.{kind}.{name}[0]": f"{kind}.{name}"
            for kind, name in (
                ("terraform_data", "link_federated_user_package"),
                ("aws_iam_role", "link_federated_user_role"),
                ("aws_iam_role_policy", "link_federated_user_policy"),
                ("aws_cloudwatch_log_group", "link_federated_user_logs"),
                ("aws_lambda_function", "link_federated_user"),
                ("aws_lambda_permission", "link_federated_user_invoke"),
            )
        },
    }
    assert "import" not in newpool  # nothing adopted


def test_existing_pool_and_domain_are_referenced_not_created(existing, existing_pool):
    pool_id, domain = existing_pool
    assert "aws_cognito_user_pool" not in existing["resource"]
    assert "aws_cognito_user_pool_domain" not in existing["resource"]
    idps = resources(existing, "aws_cognito_identity_provider")
    assert sorted(idp["provider_name"] for idp in idps.values()) == ["MitID", "SE-BankID", "eID"]
    assert {idp["user_pool_id"] for idp in idps.values()} == {pool_id}
    redirect = existing["locals"]["redirect_url"]
    assert redirect == f"https://{domain}.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"


def test_custom_domain_managed_login_and_s3_backend(custom):
    domain = resources(custom, "aws_cognito_user_pool_domain")["domain"]
    assert domain["domain"] == "login.acme.com"
    assert domain["certificate_arn"] == "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f"
    assert domain["managed_login_version"] == 1
    assert resources(custom, "aws_cognito_user_pool")["user_pool"]["deletion_protection"] == "ACTIVE"
    assert custom["locals"]["redirect_url"] == "https://login.acme.com/oauth2/idpresponse"
    # The DNS records the custom domain needs, as the module's domain_dns_records output gives them.
    assert custom["locals"]["domain_dns_records"] == [
        {
            "name": "login.acme.com",
            "type": record,
            "alias_name": "${aws_cognito_user_pool_domain.domain.cloudfront_distribution}",
            "alias_zone_id": "${aws_cognito_user_pool_domain.domain.cloudfront_distribution_zone_id}",
        }
        for record in ("A", "AAAA")
    ]
    assert custom["output"]["domain_dns_records"]["value"] == "${local.domain_dns_records}"
    backend = custom["terraform"]["backend"]["s3"]
    assert {k: backend[k] for k in ("bucket", "key", "region", "encrypt", "kms_key_id", "use_lockfile")} == {
        "bucket": "acme-tfstate",
        "key": "idura-cognito/custom.tfstate",
        "region": "eu-west-1",
        "encrypt": True,
        "kms_key_id": "alias/tfstate",
        "use_lockfile": True,
    }
    # aws.endpoint_url (an emulator) serves the state bucket too.
    assert backend["endpoints"] == {"s3": custom["provider"]["aws"][0]["endpoints"][0]["sts"]}
    assert backend["use_path_style"] is True


def test_emulator_endpoint_goes_to_every_service(custom):
    provider = custom["provider"]["aws"][0]
    services = ("cognitoidp", "iam", "lambda", "logs", "secretsmanager", "sts")
    assert provider["endpoints"] == [dict.fromkeys(services, LOCALSTACK)]
    assert provider["skip_credentials_validation"] is True
    assert custom["terraform"]["required_providers"]["aws"]["version"] == "5.100.0"


def test_without_an_endpoint_the_provider_is_plain_aws(newpool):
    assert newpool["provider"]["aws"] == [{"region": "eu-north-1"}]


@pytest.fixture(scope="module")
def managed(synthesized):
    return stack_json(synthesized[1], "managed")


def test_managed_mode_runs_the_program_next_to_the_stack_with_exactly_the_documented_query(managed, synthesized):
    external = managed["data"]["external"]["idura_application"]
    # Like the rendered HCL: isolated mode, no cache written, the program's folder copied next to the stack (a
    # CDKTF asset, copied by any app.synth()), a path relative to it.
    python, isolated, no_cache, program, flag = external["program"]
    # The switch counts only in a run of `idura-cognito deploy`, never in one of the cdktf CLI.
    assert flag == "--changes-only-in-idura-cognito-deploy"
    assert (python, isolated, no_cache) == ("python3", "-I", "-B")
    assert re.fullmatch(r"\$\{path\.module\}/assets/idura_application_program/[0-9A-F]{32}", program)
    copied = synthesized[1] / "stacks" / "managed" / program.removeprefix("${path.module}/")
    assert {p.name: p.read_bytes() for p in copied.iterdir()} == program_source.files()
    query = external["query"]
    assert sorted(query) == [
        "application_name",
        "client_id",
        "cognito_host",
        "escrowed_secret_id",
        "have_secret",
        "idura_domain",
        "redirect_uris",
    ]
    assert query["redirect_uris"] == '["https://acme-managed.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]'
    assert query["have_secret"] == '${local.escrow_has_secret ? "true" : "false"}'
    # Only data sources feed the query: a resource there would put the program off until the apply whenever that
    # resource changes (a tag edit), and show the secret as changing.
    assert "aws_secretsmanager_secret.escrow" not in json.dumps(query)
    assert query["cognito_host"] == "acme-managed.auth.eu-north-1.amazoncognito.com"
    # Terraform reads JSON strings as templates: a config value's ${ and %{ are doubled, never evaluated.
    assert query["application_name"] == "Acme $${managed} %%{test}"
    assert "TOKEN" not in json.dumps(external) and "MANAGEMENT" not in json.dumps(external)
    assert managed["terraform"]["required_providers"]["external"]["version"] == "2.3.5"


def test_managed_mode_escrows_secret_and_id_as_one_document(managed):
    version = managed["resource"]["aws_secretsmanager_secret_version"]["escrow"]
    assert version["secret_id"] == "${aws_secretsmanager_secret.escrow.id}"
    assert version["secret_string"] == (
        "${sensitive(jsonencode({client_secret = local.client_secret, "
        "idura_secret_id = data.external.idura_application.result.secret_id}))}"
    )
    assert managed["locals"]["client_secret"].startswith(
        "${sensitive(length(data.external.idura_application.result.client_secret) >= 1"
    )
    secret = managed["resource"]["aws_secretsmanager_secret"]["escrow"]
    assert secret["recovery_window_in_days"] == 0
    assert secret["tags"] == {"managed-by": "idura-cognito"}  # no id in a tag: it travels with the secret
    # No "secret put" precondition: an empty escrow is normal in managed mode.
    assert "lifecycle" not in managed["data"]["aws_secretsmanager_secrets"]["escrow"]
    assert managed["check"]["idura_changes"]["assert"][0]["condition"] == (
        '${data.external.idura_application.result.pending == ""}'
    )


@pytest.mark.parametrize("stack", ["newpool", "existing", "custom", "managed", "doctor"])
def test_every_reference_names_a_resource_of_the_stack(synthesized, stack):
    """References are written as expressions (not read back from jsii): a misspelt name would only fail at plan."""
    body = stack_json(synthesized[1], stack)
    text = json.dumps({k: v for k, v in body.items() if k not in ("moved", "import", "//")})
    found = re.findall(r"(?<![\w.])(data\.)?((?:aws|external)_?[a-z0-9_]*)\.([a-z0-9_]+)(?=[.\[])", text)
    found = [(data, kind, name) for data, kind, name in found if kind.startswith("aws_") or data]
    assert found  # the pattern finds the references
    for data, kind, name in found:
        assert name in body["data" if data else "resource"].get(kind, {}), f"{data}{kind}.{name} is not in {stack}"


def test_the_bindings_pin_the_provider_versions_the_definitions_name(newpool, managed):
    from idura_cognito.definitions import versions

    assert newpool["terraform"]["required_providers"]["aws"]["version"] == versions.AWS_PROVIDER_PINNED
    assert managed["terraform"]["required_providers"]["external"]["version"] == versions.EXTERNAL_PROVIDER_PINNED


def test_local_state_is_relative_to_the_stack_folder(newpool, synthesized):
    config, outdir = synthesized
    path = newpool["terraform"]["backend"]["local"]["path"]
    assert not path.startswith("/")
    assert (outdir / "stacks" / "newpool" / path).resolve() == config.parent / "state" / "newpool.tfstate"


def test_the_asset_is_the_program_alone_after_the_program_ran_and_left_a_cache(tmp_path):
    """The program runs as Terraform runs it from the module (its command from the module's main.tf), and a plain
    import leaves a __pycache__ in the package as a wheel install has one: a synth afterwards carries exactly the
    program's files, the same bytes as a clean copy, so the stack does not depend on whether the program ran."""
    folder = program_source.package_folder()
    module_main = (ROOT / "modules/idura-cognito/modules/idura-application/main.tf").read_text()
    assert '["python3", "-I", "-B", local.default_program]' in module_main
    shutil.rmtree(folder / "__pycache__", ignore_errors=True)
    ran = subprocess.run(
        [sys.executable, "-I", "-B", str(folder)], input="{}", capture_output=True, text=True, env=_with_bytecode()
    )
    assert ran.returncode == 1 and ran.stderr.startswith("idura_application: query.")  # it ran
    assert not (folder / "__pycache__").exists()  # -B: the run wrote nothing into the program's folder
    subprocess.run([sys.executable, "-c", "import idura_verify.program.application"], check=True, env=_with_bytecode())
    assert (folder / "__pycache__").is_dir()  # the folder is dirty now, as in any wheel install
    config = write_config(tmp_path / "idura-cognito.toml", one_stack_config("acme-corp.test.idura.broker", "managed"))
    out = tmp_path / "cdktf.out"
    assert run_cli("synth", "--config", str(config), "--out", str(out), "--no-cache", cwd=tmp_path).returncode == 0
    (asset,) = (out / "stacks/managed/assets/idura_application_program").iterdir()
    assert {p.name: p.read_bytes() for p in asset.iterdir()} == program_source.files()
    assert asset.name == program_source.digest()


def _with_bytecode() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
