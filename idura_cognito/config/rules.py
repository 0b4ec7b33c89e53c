"""Validation rules for values that reach Cognito, Idura or Terraform. Each returns an error text or None.

The limits are Cognito's own (API reference patterns), so a config that passes here is not rejected later
half-way through an apply. Patterns are applied with ``fullmatch``: ``$`` alone would accept a trailing newline.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from idura_verify import inputs

# Cognito CreateUserPoolDomain: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$, and the console refuses
# prefixes containing the reserved words below.
_DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_RESERVED_PREFIX_WORDS = ("aws", "amazon", "cognito")


# Cognito ProviderName: [^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+, 1..32 (so at least 3 in practice).
_IDP_NAME = re.compile(r"^[^_\s][^\s][^_\s]+$")
_RESERVED_IDP_NAMES = ("cognito", "google", "facebook", "loginwithamazon", "signinwithapple")

_ACR = re.compile(r"^urn:grn:authn:[a-z0-9][a-z0-9._-]*(?::[a-z0-9][a-z0-9._-]*)*$")
_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
_USER_POOL_ID = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{1,64}$")
_APP_CLIENT_NAME = re.compile(r"^[\w\s+=,.@-]{1,128}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,256}$")
_STANDARD_OAUTH_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")
_CUSTOM_ATTRIBUTE = re.compile(r"^custom:[A-Za-z0-9_]{1,20}$")
_CLAIM = re.compile(r"^[\x21-\x7e]{1,128}$")
_S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

# Writable OIDC-standard attributes of a Cognito user pool (plus the username, always "sub" by default).
STANDARD_ATTRIBUTES = (
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
    "username",
)


def domain_prefix(value: str) -> str | None:
    if not _DOMAIN_PREFIX.fullmatch(value):
        return (
            f"{value!r} is not a valid Cognito domain prefix: use 1-63 lowercase letters, digits and hyphens, "
            "not starting or ending with a hyphen"
        )
    for word in _RESERVED_PREFIX_WORDS:
        if word in value:
            return f"{value!r} is not allowed as a Cognito domain prefix: it contains the reserved word {word!r}"
    return None


def hostname(value: str, *, allow_loopback_port: bool = False) -> str | None:
    """A DNS name such as ``acme.idura.broker`` (no scheme, path or port); ``localhost:PORT`` if allowed."""
    if inputs.hostname_problem(value, allow_loopback_port=allow_loopback_port) is None:
        return None
    allowed = "a lowercase DNS name like acme-corp.idura.broker (no scheme, path or port)"
    if allow_loopback_port:
        allowed += ", or localhost:PORT / 127.0.0.1:PORT for a local emulator"
    return f"{value!r} is not a valid host name: use {allowed}"


def https_url(value: str, *, allow_localhost_http: bool) -> str | None:
    """An absolute https URL without fragment; ``http://localhost`` only where Cognito allows it."""
    why = inputs.url_problem(value, allow_localhost_http=allow_localhost_http)
    if why is None:
        return None
    allowed = "https://... URLs" + (" (http:// only for localhost)" if allow_localhost_http else "")
    return f"{value!r} is not allowed: {why}; use {allowed}"


def endpoint_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        return f"{value!r} is not an http(s) endpoint URL like http://127.0.0.1:5000"
    return None


def idp_name(value: str) -> str | None:
    if not 1 <= len(value) <= 32 or not _IDP_NAME.fullmatch(value):
        return (
            f"{value!r} is not a valid Cognito identity provider name: use 3-32 characters without spaces, "
            "not starting or ending with an underscore"
        )
    if value.lower() in _RESERVED_IDP_NAMES:
        return f"{value!r} is reserved by Cognito for a built-in provider; choose another name"
    return None


def acr(value: str) -> str | None:
    if not _ACR.fullmatch(value):
        return (
            f"{value!r} is not an Idura acr value: use the urn:grn:authn:... form, "
            "e.g. urn:grn:authn:dk:mitid:substantial"
        )
    return None


def aws_region(value: str) -> str | None:
    if not _REGION.fullmatch(value):
        return f"{value!r} is not an AWS region name like eu-north-1"
    return None


def user_pool_id(value: str) -> str | None:
    if not _USER_POOL_ID.fullmatch(value) or len(value) > 55:
        return f"{value!r} is not a Cognito user pool id like eu-north-1_AbCdEf123"
    return None


def certificate_arn(value: str) -> str | None:
    if not _ACM_ARN.fullmatch(value):
        return (
            f"{value!r} is not an ACM certificate ARN in us-east-1 "
            "(Cognito custom domains need arn:aws:acm:us-east-1:<account>:certificate/<id>)"
        )
    return None


def app_client_name(value: str) -> str | None:
    if not _APP_CLIENT_NAME.fullmatch(value):
        return f"{value!r} is not a valid app client name: use 1-128 letters, digits, spaces and +=,.@_-"
    return None


def idp_scope(value: str) -> str | None:
    if not _SCOPE.fullmatch(value):
        return f"{value!r} is not a valid OAuth scope: use printable characters without spaces or quotes"
    return None


def oauth_scope(value: str) -> str | None:
    if value in _STANDARD_OAUTH_SCOPES:
        return None
    if "/" in value and _SCOPE.fullmatch(value):
        return None  # a resource-server scope such as "https://api.acme.com/read"
    allowed = ", ".join(_STANDARD_OAUTH_SCOPES)
    return f"{value!r} is not an app client OAuth scope: use {allowed} or a resource-server scope 'server/scope'"


def user_pool_attribute(value: str) -> str | None:
    if value in STANDARD_ATTRIBUTES or _CUSTOM_ATTRIBUTE.fullmatch(value):
        return None
    return (
        f"{value!r} is not a user pool attribute: use a standard attribute (e.g. name, given_name, birthdate) "
        "or custom:<name> with 1-20 letters, digits or underscores"
    )


def claim_name(value: str) -> str | None:
    if not _CLAIM.fullmatch(value):
        return f"{value!r} is not a claim name: use 1-128 printable characters without spaces"
    return None


def s3_bucket(value: str) -> str | None:
    if not _S3_BUCKET.fullmatch(value) or ".." in value:
        return f"{value!r} is not an S3 bucket name: use 3-63 lowercase letters, digits, dots and hyphens"
    return None


def printable(value: str, *, max_length: int) -> str | None:
    if not value or len(value) > max_length or any(not c.isprintable() for c in value):
        return f"must be 1-{max_length} printable characters"
    if value != value.strip():
        return f"{value!r} has leading or trailing spaces"
    return None
