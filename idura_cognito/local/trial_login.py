"""A trial login for one's own deployed stack, against the local servers: each identity provider of the stack
logs the emulator's test person in, and the result is what Cognito would store.

Two halves, and only the first is real: the login at Idura (authorize, token with the secret Cognito holds,
userinfo) runs against the Idura emulator exactly as Cognito runs it (federated_login.py), with the identity
provider's settings as Cognito holds them. What Cognito then does (map the claims, name the user
``<provider>_<sub>``, run the pre sign-up trigger, create or link the user) is the moto wrapper's model of
Cognito's federation (cognito_sign_in.py): moto does not federate. So the stored attributes are computed by this
product from the deployed attribute mapping, and the report says so.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config.model import StackConfig
from ..definitions import linking
from .cognito_sign_in import SignIn, federated_sign_in
from .federated_login import LoginError, cognito_attributes, login

#: Which user Cognito makes of the login, in words.
OUTCOMES = {
    "signed_up": "a new user",
    "existing": "the existing user",
    "linked": "the user this identity is linked to",
    "refused": "refused",
}


@dataclass
class ProviderLogin:
    provider: str
    #: The eID the person used (a pinned provider's own; through the picker, the one chosen by login_hint).
    acr: str
    #: How Cognito chose it: "pinned" or "login_hint".
    route: str
    attributes: dict[str, str] = field(default_factory=dict)
    #: The sign-ins, in order: a login the trigger linked is refused once, then the next one is the linked user.
    sign_ins: list[SignIn] = field(default_factory=list)
    error: str | None = None


@dataclass
class Trial:
    pool_id: str
    linking: str  # "on" (the stack's trigger is attached), "off", or the reason it is not used
    logins: list[ProviderLogin]


def providers(stack: StackConfig, only: str | None, person: str | None) -> list[tuple[str, str, str]]:
    """(provider, acr, route) for each identity provider of the stack, the picker first. Through the picker the
    person chooses ``person`` (an acr), by default the first pinned eID's (so linking shows) or Idura's default."""
    pinned = [(e.name, e.acr, "pinned") for e in stack.pinned_eids]
    picker_acr = person or (pinned[0][1] if pinned else "")
    found = [(stack.identity_provider.name, picker_acr, "login_hint")] + pinned
    if person:
        found = [p for p in found if p[2] == "login_hint" or p[1] == person]
    if only:
        found = [p for p in found if p[0] == only]
    return found


def run(
    stack: StackConfig,
    pool_id: str,
    cognito: Any,
    lam: Any,
    endpoint_url: str,
    *,
    only: str | None = None,
    person: str | None = None,
    verify: Any = True,
) -> Trial:
    trigger, linking_state = _trigger(stack, cognito, lam, pool_id, endpoint_url)
    logins = []
    with trigger as pre_sign_up:
        for name, acr, route in providers(stack, only, person):
            result = ProviderLogin(name, acr, route)
            logins.append(result)
            described = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=name)["IdentityProvider"]
            elsewhere = _not_local(described.get("ProviderDetails") or {}, stack.idura.domain)
            if elsewhere:  # the secret Cognito holds goes only to the local emulator
                result.error = f"the provider's {elsewhere} is not the local Idura emulator {stack.idura.domain}"
                continue
            mapping = dict(described.get("AttributeMapping") or {})
            hint = f"acr_values:{acr}" if route == "login_hint" and acr else None
            try:
                claims = login(described["ProviderDetails"], stack.redirect_url, verify=verify, login_hint=hint)
            except LoginError as exc:
                result.error = str(exc)
                continue
            subject = str(claims.get(mapping.pop("username", "sub"), ""))
            result.acr = str(claims.get("authenticationtype", acr))
            result.attributes = cognito_attributes(mapping, claims)
            sign_in = federated_sign_in(
                endpoint_url, pool_id, name, subject, result.attributes, pre_sign_up=pre_sign_up
            )
            result.sign_ins.append(sign_in)
            if sign_in.outcome == "refused" and pre_sign_up is not None:
                # Cognito's first login of an identity the trigger linked fails ("Already found an entry"); the
                # person signs in again and is the linked user (docs/linking.md).
                result.sign_ins.append(
                    federated_sign_in(endpoint_url, pool_id, name, subject, result.attributes, pre_sign_up=pre_sign_up)
                )
    return Trial(pool_id, linking_state, logins)


def _not_local(details: dict[str, str], emulator: str) -> str | None:
    """The first of the provider's URLs whose host is not the emulator's (``localhost:PORT``), or None."""
    for key in ("oidc_issuer", "authorize_url", "token_url", "attributes_url", "jwks_uri"):
        url = details.get(key)
        if url and urlsplit(url).netloc != emulator:
            return key
    return None


def report(stack: StackConfig, trial: Trial) -> str:
    lines = [
        f"Trial login for stack {stack.name} (pool {trial.pool_id}) through the local Idura emulator.",
        "The login at Idura is real; the attributes, user names and linking are COMPUTED by idura-cognito from the",
        "deployed attribute mapping and trigger (moto does not federate: the wrapper models Cognito's rules).",
        f"Linking one person's identities: {trial.linking}.",
    ]
    for item in trial.logins:
        via = "pinned eID" if item.route == "pinned" else "the picker, eID chosen with login_hint"
        lines += ["", f"{item.provider}  ({via}: {item.acr or 'Idura default'})"]
        if item.error:
            lines.append(f"  login failed: {item.error}")
            continue
        for sign_in in item.sign_ins:
            if sign_in.outcome == "refused":
                lines.append(f"  login refused by Cognito: {(sign_in.error_description or '').strip()}")
            else:
                lines.append(f"  user      {sign_in.username}  ({OUTCOMES.get(sign_in.outcome, sign_in.outcome)})")
        width = max((len(k) for k in item.attributes), default=0)
        for attribute, value in sorted(item.attributes.items()):
            lines.append(f"  {attribute.ljust(width)}  {value}")
        if not item.attributes:
            lines.append("  (no mapped attribute: the login sent none of the mapped claims)")
    return "\n".join(lines)


def _trigger(stack: StackConfig, cognito: Any, lam: Any, pool_id: str, endpoint_url: str):
    """The pre sign-up handler to run as Cognito would, and a sentence on linking."""
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    attached = (pool.get("LambdaConfig") or {}).get("PreSignUp")
    if not attached:
        return _none(), "off (the pool has no pre sign-up trigger: a second identity becomes a second user)"
    expected = linking.function_name(stack.escrow_name)
    if attached.rsplit(":", 1)[-1] != expected:
        return _none(), f"not tried (the pool's trigger is {attached.rsplit(':', 1)[-1]}, not this stack's)"
    function = lam.get_function_configuration(FunctionName=attached)
    if function.get("CodeSha256") != linking.package_hash():
        return _none(), "not tried (the deployed function is not this version's: deploy the stack first)"
    variables = (function.get("Environment") or {}).get("Variables") or {}
    # Its AWS calls go where Lambda's would: to this pool's (local) Cognito, whatever this shell's environment says.
    # The service's own variable wins over AWS_ENDPOINT_URL in botocore, so both name the local endpoint.
    local = {
        "AWS_DEFAULT_REGION": pool_id.split("_", 1)[0],
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": endpoint_url,
    }
    return _handler(variables | local), "on (the stack's trigger)"


@contextmanager
def _none() -> Iterator[None]:
    yield None


@contextmanager
def _handler(variables: dict[str, str]) -> Iterator[Any]:
    """The module's handler source (the bytes the deployed package holds: its hash was compared) in this process."""
    from ..hcl.render import module_source

    source = Path(module_source()) / linking.SOURCE
    spec = importlib.util.spec_from_file_location(f"trial_link_{uuid.uuid4().hex}", source)
    if spec is None or spec.loader is None:
        raise LoginError(f"cannot load the linking function from {source}")
    ignored = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"  # would send the handler's calls to real AWS
    before = {k: os.environ.get(k) for k in (*variables, ignored)}
    try:
        os.environ.pop(ignored, None)
        os.environ.update(variables)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield getattr(module, linking.HANDLER.split(".")[1])
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
