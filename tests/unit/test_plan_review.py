"""What deploy compares before it applies a plan made with changes at Idura allowed (idura_cognito/plan_review.py):
only Idura's answer may differ from the reviewed plan."""

from __future__ import annotations

import copy

from idura_cognito.terraform.plan_review import differences

IDP = "aws_cognito_identity_provider.idura"
CLIENT = "aws_cognito_user_pool_client.app_client"
VERSION = "aws_secretsmanager_secret_version.escrow"


def change(address: str, actions: list[str], before: dict, after: dict) -> dict:
    return {"address": address, "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}}


def reviewed() -> dict:
    details = {"client_id": "urn:x", "client_secret": "", "oidc_issuer": "https://a.idura.broker"}
    return {
        "resource_changes": [
            change(IDP, ["no-op"], {"provider_details": details}, {"provider_details": details}),
            change(CLIENT, ["no-op"], {"callback_urls": ["https://a/cb"]}, {"callback_urls": ["https://a/cb"]}),
            change(VERSION, ["no-op"], {"secret_string": "{}"}, {"secret_string": "{}"}),
            change("data.external.idura_application", ["read"], {}, {}),
        ],
        "output_changes": {"idura_application_id": {"after": ""}, "user_pool_id": {"after": "p"}},
    }


def with_idura_answer(plan: dict) -> dict:
    answered = copy.deepcopy(plan)
    idp, _, version, program = answered["resource_changes"]
    idp["change"]["actions"] = ["update"]
    idp["change"]["after"]["provider_details"]["client_secret"] = "new-secret"
    version["change"]["actions"] = ["delete", "create"]
    version["change"]["after"]["secret_string"] = '{"client_secret": "new-secret"}'
    program["change"]["after"] = {"result": {"x": "y"}}
    answered["output_changes"]["idura_application_id"] = {"after": "app_1"}
    return answered


def test_idura_s_answer_alone_is_no_difference():
    assert differences(reviewed(), with_idura_answer(reviewed())) == []


def test_any_other_change_is_listed_by_address_and_attribute_never_by_value():
    drifted = with_idura_answer(reviewed())
    drifted["resource_changes"][1] = change(
        CLIENT, ["update"], {"callback_urls": ["https://console/cb"]}, {"callback_urls": ["https://a/cb"]}
    )
    drifted["resource_changes"][0]["change"]["after"]["provider_details"]["oidc_issuer"] = "https://evil"
    drifted["output_changes"]["user_pool_id"] = {"after": "q"}
    found = differences(reviewed(), drifted)
    assert found == [
        f"{IDP}: provider_details differ from the reviewed plan",
        f"{CLIENT}: update instead of the reviewed no-op (callback_urls)",
        "output user_pool_id: differs from the reviewed plan",
    ]
    assert not any("new-secret" in line or "console/cb" in line for line in found)


def test_a_resource_only_in_one_plan_is_a_difference():
    extra = with_idura_answer(reviewed())
    extra["resource_changes"].append(change("aws_cognito_user_pool.user_pool", ["delete"], {"name": "p"}, {}))
    assert differences(reviewed(), extra) == ["aws_cognito_user_pool.user_pool: not in the reviewed plan"]
