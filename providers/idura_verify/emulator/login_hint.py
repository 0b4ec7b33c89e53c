"""``login_hint`` as Idura reads it: several hints separated by single spaces, each ``prefix:value``.

Idura uses the hint "as a fallback for cases where intermediaries do not let you pass values via otherwise
standardized OpenID Connect query parameters (most notably ``scope`` and ``acr_values``)" (docs
verify/getting-started/oidc-intro.mdx:549-554). Its Authorize URL builder writes ``acr_values:<acr>`` (only with a
single acr value) and one ``scope:<scope>`` per scope (docs src/components/AuthorizeURLBuilder.tsx:390-401,449).
The emulator honours those two; every other prefix Idura documents (``sub:``, ``country:``, ``appswitch:``,
``message:``, ...: docs/idura-fidelity.md) is accepted and ignored, as a login without its eID's special steps.
"""

from __future__ import annotations

from dataclasses import dataclass

ACR_PREFIX = "acr_values:"
SCOPE_PREFIX = "scope:"


@dataclass(frozen=True)
class LoginHint:
    acrs: tuple[str, ...]  # every acr_values: hint, in order (Idura takes one)
    scopes: tuple[str, ...]  # every scope: hint, in order
    ignored: tuple[str, ...]  # the other hints


def parse(value: str) -> LoginHint:
    acrs, scopes, ignored = [], [], []
    for hint in value.split():
        if hint.startswith(ACR_PREFIX) and hint[len(ACR_PREFIX) :]:
            acrs.append(hint[len(ACR_PREFIX) :])
        elif hint.startswith(SCOPE_PREFIX) and hint[len(SCOPE_PREFIX) :]:
            scopes.append(hint[len(SCOPE_PREFIX) :])
        else:
            ignored.append(hint)
    return LoginHint(tuple(acrs), tuple(scopes), tuple(ignored))
