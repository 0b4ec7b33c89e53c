"""Managed login branding styles in the local moto server, with the shapes of the Cognito API Reference.

moto 5.2.1 implements none of CreateManagedLoginBranding, DescribeManagedLoginBranding,
DescribeManagedLoginBrandingByClient, UpdateManagedLoginBranding, DeleteManagedLoginBranding (moto's
IMPLEMENTATION_COVERAGE.md: ``- [ ] create_managed_login_branding``, ...). The request and response shapes are
those of botocore's ``cognito-idp/2016-04-18/service-2.json`` (the API Reference text,
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html);
each rule below quotes it. One thing this wrapper cannot model: Cognito's own default style. An answer with
``ReturnMergedResources`` carries only what was set (a default style answers ``Settings: {}``), so a test never
learns Cognito's defaults from here.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import botocore.session
from moto.cognitoidp import responses
from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.core.exceptions import JsonRESTError

from .moto_json import answer

# AssetType: Category, ColorMode and Extension are required members with enums; AssetListType max 40. Read from
# the installed botocore's model, the API Reference itself.
_MODEL = botocore.session.get_session().get_service_model("cognito-idp")
CATEGORIES = frozenset(_MODEL.shape_for("AssetCategoryType").enum)
COLOR_MODES = frozenset(_MODEL.shape_for("ColorSchemeModeType").enum)
EXTENSIONS = frozenset(_MODEL.shape_for("AssetExtensionType").enum)
MAX_ASSETS = _MODEL.shape_for("AssetListType").metadata["max"]


class ManagedLoginBrandingExistsException(JsonRESTError):
    """API: "thrown when you attempt to apply a managed login branding style to an app client that already has
    an assigned style"."""

    def __init__(self, client_id: str) -> None:
        super().__init__("ManagedLoginBrandingExistsException", f"App client {client_id} already has a style")


def _styles(pool) -> dict[str, dict[str, Any]]:
    """The pool's styles by id, each {id, client, use_defaults, settings, assets, created, modified}."""
    if not hasattr(pool, "managed_login_brandings"):
        pool.managed_login_brandings = {}
    return pool.managed_login_brandings


def _assets(given: Any) -> list[dict]:
    if not isinstance(given, list) or len(given) > MAX_ASSETS:
        raise InvalidParameterException(f"Assets must be a list of at most {MAX_ASSETS} assets")
    for asset in given:
        if not isinstance(asset, dict):
            raise InvalidParameterException("each of Assets must be an object")
        for field, allowed in (("Category", CATEGORIES), ("ColorMode", COLOR_MODES), ("Extension", EXTENSIONS)):
            if asset.get(field) not in allowed:
                raise InvalidParameterException(f"Assets[].{field} must be one of {', '.join(sorted(allowed))}")
    return [dict(asset) for asset in given]


def _defaults_alone(self: responses.CognitoIdpResponse) -> bool:
    """API UseCognitoProvidedValues: "When you specify true for this option, you must also omit values for
    Settings and Assets in the request.\""""
    use_defaults = bool(self._get_param("UseCognitoProvidedValues"))
    if use_defaults and (self._get_param("Settings") is not None or self._get_param("Assets") is not None):
        raise InvalidParameterException("UseCognitoProvidedValues true must come without Settings and Assets")
    return use_defaults


def _described(pool, style: dict[str, Any], merged: bool) -> tuple[str, dict]:
    """ManagedLoginBrandingType. API ReturnMergedResources: "When false or when you omit this parameter, returns
    only values that you customized in your branding style": a default style has no Settings then."""
    branding: dict[str, Any] = {
        "ManagedLoginBrandingId": style["id"],
        "UserPoolId": pool.id,
        "UseCognitoProvidedValues": style["use_defaults"],
        "Assets": style["assets"],
        "CreationDate": style["created"],  # DateType: "Amazon Cognito returns this timestamp in UNIX epoch time"
        "LastModifiedDate": style["modified"],
    }
    if style["settings"] is not None:
        branding["Settings"] = style["settings"]
    elif merged:
        branding["Settings"] = {}
    return answer({"ManagedLoginBranding": branding})


def _style(self: responses.CognitoIdpResponse):
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))  # ResourceNotFoundException
    style = _styles(pool).get(self._get_param("ManagedLoginBrandingId") or "")
    if style is None:
        raise ResourceNotFoundError(f"Managed login branding {self._get_param('ManagedLoginBrandingId')} not found")
    return pool, style


def create_managed_login_branding(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    client_id = self._get_param("ClientId")
    if client_id not in pool.clients:
        raise ResourceNotFoundError(f"App client {client_id} not found")
    # ClientId: "Each style is linked to an app client until you delete it."
    if any(style["client"] == client_id for style in _styles(pool).values()):
        raise ManagedLoginBrandingExistsException(client_id)
    use_defaults = _defaults_alone(self)
    settings = self._get_param("Settings")
    now = time.time()
    style = {
        "id": str(uuid.uuid4()),  # ManagedLoginBrandingIdType: a version 4 UUID
        "client": client_id,
        "use_defaults": use_defaults,
        "settings": settings if isinstance(settings, dict) else None,
        "assets": _assets(self._get_param("Assets") or []),
        "created": now,
        "modified": now,
    }
    _styles(pool)[style["id"]] = style
    return _described(pool, style, merged=False)


def describe_managed_login_branding(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    pool, style = _style(self)
    return _described(pool, style, merged=bool(self._get_param("ReturnMergedResources")))


def describe_managed_login_branding_by_client(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    client_id = self._get_param("ClientId")
    style = next((s for s in _styles(pool).values() if s["client"] == client_id), None)
    if style is None:
        raise ResourceNotFoundError(f"No managed login branding for app client {client_id}")
    return _described(pool, style, merged=bool(self._get_param("ReturnMergedResources")))


def update_managed_login_branding(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    """API: "Amazon Cognito doesn't require that you pass all parameters in one request and preserves existing
    style settings that you don't specify." Settings left out keep theirs; Settings sent replace them (no source
    says how two Settings documents merge: wrapper's choice). An asset replaces the one with its Category and
    ColorMode and is added otherwise (terraform-provider-aws managed_login_branding.go: "if the (`category`,
    `color`) pair differs from existing ones, the API treats the asset as new and adds it accordingly")."""
    pool, style = _style(self)
    if _defaults_alone(self):
        # UseCognitoProvidedValues: "This option reverts to default style options".
        style.update(use_defaults=True, settings=None, assets=[])
    else:
        settings = self._get_param("Settings")
        if isinstance(settings, dict):
            style.update(use_defaults=False, settings=settings)
        if self._get_param("Assets") is not None:
            kept = {(a["Category"], a["ColorMode"]): a for a in style["assets"]}
            kept |= {(a["Category"], a["ColorMode"]): a for a in _assets(self._get_param("Assets"))}
            if len(kept) > MAX_ASSETS:
                raise InvalidParameterException(f"a style holds at most {MAX_ASSETS} assets")
            style.update(use_defaults=False, assets=list(kept.values()))
    style["modified"] = time.time()
    return _described(pool, style, merged=False)


def delete_managed_login_branding(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    """API: "When you delete a style, you delete the branding association for an app client.\""""
    pool, style = _style(self)
    del _styles(pool)[style["id"]]
    return answer({})


def install() -> None:
    for handler in (
        create_managed_login_branding,
        describe_managed_login_branding,
        describe_managed_login_branding_by_client,
        update_managed_login_branding,
        delete_managed_login_branding,
    ):
        setattr(responses.CognitoIdpResponse, handler.__name__, handler)
