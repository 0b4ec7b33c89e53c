"""The linking function (modules/idura-cognito/functions/link_federated_user/handler.py): one person, one Cognito
user, whichever of the stack's Idura buttons they use.

moto runs no Lambda triggers and does no federation. So the handler runs here, in this process, against the moto
wrapper's Cognito directly (its real boto3 calls, AWS_ENDPOINT_URL pointing at moto), and the federated sign-ins
around it are the wrapper's model of Cognito's (idura_cognito/local/cognito_sign_in.py: linked identity, then the
identity's own user, then the pre sign-up trigger and the sign-up). Every boto3 operation the handler sends is
recorded: the last tests hold them to the two actions of its IAM policy.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import logging

import pytest

from idura_cognito.local.cognito_sign_in import federated_sign_in, pre_sign_up_event
from tests.support.federation import IDURA_PROVIDERS, OTHER_TEAMS_SAML, idura_sub, pool_with_providers
from tests.support.paths import ROOT

HANDLER = ROOT / "modules" / "idura-cognito" / "functions" / "link_federated_user" / "handler.py"


def load_handler():
    spec = importlib.util.spec_from_file_location("link_federated_user_handler", HANDLER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def function(moto, monkeypatch):
    """The handler as Lambda runs it: its environment from Terraform, the region Lambda sets, a fresh client."""
    monkeypatch.setenv("IDURA_PROVIDER_NAMES", json.dumps(list(IDURA_PROVIDERS)))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    module = load_handler()
    calls: list[str] = []
    client = module._cognito()
    client.meta.events.register("before-call.cognito-idp.*", lambda model, **_: calls.append(model.name))
    module.calls = calls
    return module


@pytest.fixture()
def cognito(boto):
    return boto("cognito-idp")


def sign_in(moto, function, pool_id, provider, sub, **attributes):
    return federated_sign_in(moto.url, pool_id, provider, sub, attributes, pre_sign_up=function.handler)


def usernames(cognito, pool_id) -> list[str]:
    return sorted(u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"])


@pytest.mark.parametrize("case_sensitive", [False, True], ids=["case-insensitive pool", "case-sensitive pool"])
def test_a_second_identity_of_the_same_person_is_linked_and_signs_in_as_the_first_user(
    moto, cognito, function, case_sensitive
):
    pool_id, sub = pool_with_providers(cognito, case_sensitive=case_sensitive), idura_sub()
    first = sign_in(moto, function, pool_id, "Idura", sub)
    assert first.outcome == "signed_up"
    function.calls.clear()

    # The person's first login with the pinned MitID button: linked, Cognito creates nothing, the app's callback
    # gets the function's message (error=invalid_request&error_description=...).
    linking = sign_in(moto, function, pool_id, "MitID", sub)
    assert (linking.outcome, linking.username) == ("refused", None)
    assert linking.error_description == (
        "PreSignUp failed with error Your sign-in is now linked to your existing account. Please sign in again. "
    )
    assert function.calls == ["AdminGetUser", "AdminLinkProviderForUser"]  # idura_<sub>, by name: no search

    # The second login: the linked identity is the first user; no sign-up, so no trigger.
    function.calls.clear()
    second = sign_in(moto, function, pool_id, "MitID", sub)
    assert (second.outcome, second.username) == ("linked", first.username)
    assert function.calls == []
    assert usernames(cognito, pool_id) == [first.username]


def test_a_different_person_is_never_linked(moto, cognito, function):
    pool_id, anna, bo = pool_with_providers(cognito), idura_sub(), idura_sub()
    sign_in(moto, function, pool_id, "Idura", anna)
    bo_signs_in = sign_in(moto, function, pool_id, "MitID", bo)
    assert (bo_signs_in.outcome, bo_signs_in.username) == ("signed_up", f"mitid_{bo}")
    assert "AdminLinkProviderForUser" not in function.calls
    assert usernames(cognito, pool_id) == sorted([f"idura_{anna}", f"mitid_{bo}"])


def test_a_sub_that_differs_only_in_case_is_another_person_where_cognito_keeps_case(moto, cognito, function):
    """OIDC Core 1.0 section 2: sub is "a case sensitive string". Only where Cognito lowercased the new user name
    is the comparison without case (the user name no longer tells)."""
    pool_id, sub = pool_with_providers(cognito, case_sensitive=True), "Person-A"
    sign_in(moto, function, pool_id, "Idura", sub)
    result = sign_in(moto, function, pool_id, "MitID", sub.lower())
    assert (result.outcome, result.username) == ("signed_up", "MitID_person-a")
    assert "AdminLinkProviderForUser" not in function.calls


def test_a_user_that_only_has_the_name_is_not_linked_to(moto, cognito, function):
    """An administrator's (or a self sign-up's) native user named like a federated one holds no identity."""
    pool_id, sub = pool_with_providers(cognito, case_sensitive=True), idura_sub()
    # Even one that claims the identity (Cognito's identities attribute is its own; moto lets an admin write it).
    claimed = json.dumps([{"userId": sub, "providerName": "Idura", "providerType": "OIDC", "primary": True}])
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=f"Idura_{sub}",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "identities", "Value": claimed}],
    )
    result = sign_in(moto, function, pool_id, "MitID", sub)
    assert result.outcome == "signed_up"
    assert "AdminLinkProviderForUser" not in function.calls


def test_a_failing_link_call_does_not_block_the_login(moto, cognito, function, moto_faults, caplog):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    sign_in(moto, function, pool_id, "Idura", sub)
    (moto_faults / "AdminLinkProviderForUser").touch()  # the wrapper refuses the next link (AccessDeniedException)
    with caplog.at_level(logging.INFO):
        result = sign_in(moto, function, pool_id, "MitID", sub, name="Anna Andersen", ssn="0101011234")
    assert (result.outcome, result.username) == ("signed_up", f"mitid_{sub}")  # a second user, but a login
    assert function.calls[-1] == "AdminLinkProviderForUser"
    [line] = [r.getMessage() for r in caplog.records if r.name == "link_federated_user_handler"]
    assert line == (
        f"link_federated_user: mitid_{sub} not linked (AccessDeniedException); Cognito signs it up as its own user"
    )
    assert "Anna" not in caplog.text and "0101011234" not in caplog.text


def test_an_unreachable_cognito_does_not_block_the_login(function, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens: connection refused
    unreachable = load_handler()
    event = pre_sign_up_event("eu-north-1_x", f"mitid_{idura_sub()}", {})
    assert unreachable.handler(event, None) is event


def test_other_trigger_sources_pass_through_untouched(moto, cognito, function):
    """Even a name of our form with a person to link to: only a federated sign-up is linked."""
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    sign_in(moto, function, pool_id, "Idura", sub)
    function.calls.clear()
    for source in ("PreSignUp_SignUp", "PreSignUp_AdminCreateUser"):
        event = pre_sign_up_event(pool_id, f"mitid_{sub}", {"email": "anna@example.com"}) | {"triggerSource": source}
        before = json.dumps(event, sort_keys=True)
        assert function.handler(event, None) is event and json.dumps(event, sort_keys=True) == before
    assert function.calls == []


def test_another_teams_identity_provider_passes_through_untouched(moto, cognito, function):
    pool_id = pool_with_providers(cognito)
    result = sign_in(moto, function, pool_id, OTHER_TEAMS_SAML, "corp-user-1")
    assert (result.outcome, result.username) == ("signed_up", "corpsaml_corp-user-1")
    assert function.calls == []


def test_a_broken_provider_list_passes_every_login_through(moto, cognito, monkeypatch, caplog):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    monkeypatch.setenv("IDURA_PROVIDER_NAMES", "Idura,MitID")  # not JSON
    broken = load_handler()
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    event = pre_sign_up_event(pool_id, f"mitid_{sub}", {})
    with caplog.at_level(logging.ERROR):
        assert broken.handler(event, None) is event
    assert "IDURA_PROVIDER_NAMES is not a JSON list of provider names" in caplog.text


def test_its_iam_needs_are_admin_get_user_and_admin_link_provider_for_user(moto, cognito, function, moto_faults):
    """What the lead's least-privilege policy grants on the user pool: the operations sent over a link, a look-up
    that finds nobody, a failed link and a pass-through."""
    pool_id, anna, bo = pool_with_providers(cognito), idura_sub(), idura_sub()
    sign_in(moto, function, pool_id, "Idura", anna)  # nobody to link to
    sign_in(moto, function, pool_id, "MitID", anna)  # linked
    sign_in(moto, function, pool_id, "Idura", bo)
    (moto_faults / "AdminLinkProviderForUser").touch()
    sign_in(moto, function, pool_id, "SE-BankID", bo)  # the link fails
    sign_in(moto, function, pool_id, OTHER_TEAMS_SAML, "corp-user-1")  # not ours
    assert set(function.calls) == {"AdminGetUser", "AdminLinkProviderForUser"}


def test_the_function_calls_no_other_operation_on_any_path():
    """Paths no scenario takes still call only these two: every call on the function's Cognito client."""
    called = {
        node.func.attr
        for node in ast.walk(ast.parse(HANDLER.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Call)
        and getattr(node.func.value.func, "id", None) == "_cognito"
    }
    assert called == {"admin_get_user", "admin_link_provider_for_user"}
