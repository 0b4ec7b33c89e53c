"""Where an Idura domain's applications are: the management API's links, as Idura's one published client of such
an API follows them (standard library only).

The evidence (docs/idura-management-api.md, "Where the contract comes from"): the Auth0 extension of Idura's 2018
"easyid" API (GreanTech/auth0-criipto-verify-extension, verify-client/actions/verify.js) starts at the API root,
takes the link template ``easyid:tenant-domains`` with ``{tenantId}`` = standard base64 of
``urn:grn:easyid:tenant:<tenant id>`` (dsl.js:11-17), reads ``{"domains": [{"name", "links"}]}`` and follows the
domain's ``easyid:applications`` link to a collection it filters by ``realm`` itself (verify.js:483-507). It posts
with the vendor media type ``application/vnd.grn.easyid.<resource>+json`` (dsl.js:5-7). This module holds those
shapes; management.py holds what the product does with them. The day Idura publishes its API, these two change.

Paging is **our proposal** (the 2018 client read one unpaged list): a page of the collection may carry a ``next``
link (the IANA link relation, RFC 8288) in its ``links``; the client follows it as given and never builds a page
URL itself. A collection without a ``next`` link is one page, as the 2018 API's was.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote, urlsplit

ROOT_TENANT_DOMAINS = "easyid:tenant-domains"
DOMAIN_APPLICATIONS = "easyid:applications"
#: A collection page's link to the page after it (proposal; RFC 8288's registered relation).
NEXT_PAGE = "next"
TENANT_PREFIX = "urn:grn:easyid:tenant:"


def media_type(resource: str) -> str:
    """The vendor media type of a POSTed resource (``application`` -> application/vnd.grn.easyid.application+json)."""
    return f"application/vnd.grn.easyid.{resource}+json"


class DiscoveryError(Exception):
    """The API's documents do not lead to the domain's applications; the message says where it stopped."""


def tenant_segment(tenant: str) -> str:
    """``{tenantId}`` of the link template: base64 of the tenant's URN, percent-encoded for a path (base64 may hold
    ``/`` and ``+``; whether the 2018 server took them raw is not known, an encoded segment is safe either way)."""
    return quote(base64.b64encode((TENANT_PREFIX + tenant).encode("utf-8")).decode("ascii"), safe="")


def _link(document: Any, kind: str, rel: str) -> str:
    links = document.get(kind) if isinstance(document, dict) else None
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("rel") == rel and isinstance(link.get("href"), str):
            return link["href"]
    raise DiscoveryError(f"the API's document has no {rel} link")


def next_page_href(page: Any) -> str | None:
    """The ``next`` link of a collection page, or None on the last page (and on a collection without paging)."""
    try:
        return _link(page, "links", NEXT_PAGE)
    except DiscoveryError:
        return None


def tenant_domains_href(root: Any, tenant: str) -> str:
    return _link(root, "linkTemplates", ROOT_TENANT_DOMAINS).replace("{tenantId}", tenant_segment(tenant))


def applications_href(domains: Any, domain: str, tenant: str) -> str:
    entries = domains.get("domains") if isinstance(domains, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("name") == domain:
            return _link(entry, "links", DOMAIN_APPLICATIONS)
    raise DiscoveryError(f"{domain} is not a domain of tenant {tenant!r} (check idura.domain and the tenant id)")


#: A link's path: ASCII unreserved characters, sub-delimiters but ";", "/" and valid percent escapes only.
_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,=:@/]|%[0-9A-Fa-f]{2})*")
#: Escapes a server or proxy may decode into "." or "/" or "\" after our check: refused.
_ESCAPES = re.compile(r"%(?:2[eEfF]|5[cC])")
#: A page link's query (its cursor and page size): the path's characters plus "?", with valid escapes only.
_QUERY = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,=:@/?]|%[0-9A-Fa-f]{2})*")


def relative_to(base_url: str, href: str, *, query: bool = False) -> str:
    """``href`` as a path below ``base_url`` (with its query when ``query``: a page link carries its cursor there).
    A link to another scheme, host or port, or outside the base path, is refused: the bearer token is sent to
    IDURA_MANAGEMENT_URL and nowhere else."""
    base, target = urlsplit(base_url), urlsplit(href)
    elsewhere = (target.scheme, target.netloc.lower()) != (base.scheme, base.netloc.lower())
    if (target.scheme or target.netloc) and elsewhere:
        raise DiscoveryError("a link leads to another host than IDURA_MANAGEMENT_URL; it is not followed")
    prefix = base.path.rstrip("/")
    if not _PATH.fullmatch(target.path) or _ESCAPES.search(target.path):
        raise DiscoveryError("a link holds characters a plain API path does not; it is not followed")
    segments = target.path.split("/")
    if not target.path.startswith(prefix + "/") or "." in segments or ".." in segments:
        raise DiscoveryError("a link leads outside IDURA_MANAGEMENT_URL's path; it is not followed")
    if target.fragment or (target.query and not query) or not _QUERY.fullmatch(target.query):
        raise DiscoveryError("a link holds a query or fragment a plain API path does not; it is not followed")
    relative = target.path[len(prefix) :]
    return f"{relative}?{target.query}" if target.query else relative
