"""The applications collection in pages (our proposal, docs/idura-management-api.md "Paging"): the emulator
serves pages linked by ``next``, and the real management client follows them to the first page that holds the
realm, and no further."""

from __future__ import annotations

import pytest

from tests.support.inprocess_emulator import ADMIN, DOMAIN

COLLECTION = f"/management/v1/domains/{DOMAIN}/applications"


def _pages(emulator, first: str = COLLECTION) -> list[dict]:
    pages, href = [], first
    while href:
        page = emulator.get(href, headers=ADMIN)
        assert page.status_code == 200, page.text
        pages.append(page.json())
        href = next((link["href"] for link in page.json()["links"] if link["rel"] == "next"), None)
    return pages


def _finds(emulator) -> list[str]:
    """The collection reads the emulator saw (path and query), in order."""
    log = emulator.get("/_emulator/requests", headers=ADMIN).json()["requests"]
    return [f"{r['path']}?{r['query']}" for r in log if r["route"] == "find"]


@pytest.fixture
def small_pages(emulator):
    emulator.put("/_emulator/settings", headers=ADMIN, json={"pageSize": 2})


def test_the_collection_comes_in_pages_linked_by_next_each_application_once(emulator, register, small_pages):
    realms = [f"urn:page:{i}" for i in range(5)]
    register.many(DOMAIN, realms)
    pages = _pages(emulator)
    assert [[a["realm"] for a in p["applications"]] for p in pages] == [realms[0:2], realms[2:4], realms[4:5]]
    assert pages[-1]["links"] == []  # the last page has no next
    assert all(link["href"].startswith(f"https://testserver{COLLECTION}?") for p in pages for link in p["links"])


def test_an_application_made_or_deleted_during_a_read_neither_shifts_nor_repeats_the_others(
    emulator, manage, register, small_pages
):
    made = register.many(DOMAIN, [f"urn:page:{i}" for i in range(4)])
    first = emulator.get(COLLECTION, headers=ADMIN).json()
    manage("DELETE", f"/{made[0]['id']}")  # an application of the page already read goes away
    register.many(DOMAIN, ["urn:page:new"])
    rest = _pages(emulator, first["links"][0]["href"])
    seen = [a["realm"] for a in first["applications"]] + [a["realm"] for p in rest for a in p["applications"]]
    assert seen == ["urn:page:0", "urn:page:1", "urn:page:2", "urn:page:3", "urn:page:new"]


def test_a_limit_is_honoured_and_carried_by_the_next_link(emulator, register):
    register.many(DOMAIN, ["urn:a", "urn:b", "urn:c"])
    page = emulator.get(COLLECTION, headers=ADMIN, params={"limit": 1}).json()
    assert [a["realm"] for a in page["applications"]] == ["urn:a"]
    assert "limit=1" in page["links"][0]["href"]
    assert len(_pages(emulator, f"{COLLECTION}?limit=1")) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit must be a whole number from 1 to 1000"),
        ({"limit": "1001"}, "limit must be a whole number from 1 to 1000"),
        ({"limit": "ten"}, "limit must be a whole number from 1 to 1000"),
        ({"after": "app_1"}, "after must be a cursor from a next link of this collection"),
    ],
)
def test_bad_page_parameters_are_refused_with_the_rule(emulator, params, message):
    refused = emulator.get(COLLECTION, headers=ADMIN, params=params)
    assert refused.status_code == 400 and refused.json() == {"error": "invalid_request", "message": message}


def test_unpaged_the_collection_is_one_list_without_links_as_in_2018(emulator, register):
    register.many(DOMAIN, [f"urn:page:{i}" for i in range(150)])  # more than a page
    emulator.put("/_emulator/settings", headers=ADMIN, json={"paging": False})
    body = emulator.get(COLLECTION, headers=ADMIN).json()
    assert set(body) == {"applications"} and len(body["applications"]) == 150


def test_the_client_stops_at_the_page_that_holds_the_realm(emulator, register, management_client, small_pages):
    register.many(DOMAIN, [f"urn:page:{i}" for i in range(9)])  # five pages
    emulator.delete("/_emulator/requests", headers=ADMIN)
    app = management_client().find(DOMAIN, "urn:page:3")
    assert app is not None and app.realm == "urn:page:3"
    reads = _finds(emulator)
    assert len(reads) == 2 and reads[0] == f"{COLLECTION}?"  # page 1, then its next: page 2 holds the realm


def test_the_client_reads_every_page_for_a_realm_that_is_not_there(emulator, register, management_client, small_pages):
    register.many(DOMAIN, [f"urn:page:{i}" for i in range(9)])
    emulator.delete("/_emulator/requests", headers=ADMIN)
    client = management_client()
    assert client.find(DOMAIN, "urn:missing") is None
    assert len(_finds(emulator)) == 5 and client.pages_sent == 4  # the pages after the first have their budget


def test_the_client_finds_in_an_unpaged_collection(emulator, register, management_client):
    register.many(DOMAIN, [f"urn:page:{i}" for i in range(150)])
    emulator.put("/_emulator/settings", headers=ADMIN, json={"paging": False})
    assert management_client().find(DOMAIN, "urn:page:149").realm == "urn:page:149"


def test_a_page_shows_every_change_made_after_it_was_last_read(emulator, manage, application):
    """Pages join each application's serialized form, kept between reads: every kind of change must show."""
    app, _ = application
    assert emulator.get(COLLECTION, headers=ADMIN).json()["applications"][0]["returnUrls"] == [app["returnUrls"][0]]
    manage("PATCH", f"/{app['id']}", json={"returnUrls": ["https://new.example/cb"], "name": "Renamed"})
    secret_id = manage("POST", f"/{app['id']}/client-secret").json()["clientSecretId"]
    emulator.patch(
        f"/_emulator/applications/{DOMAIN}/{app['realm']}",
        headers=ADMIN,
        json={"userInfoResponseStrategy": "signedJwt"},
    )
    (listed,) = emulator.get(COLLECTION, headers=ADMIN).json()["applications"]
    assert listed == manage("GET", f"/{app['id']}").json()
    assert listed["returnUrls"] == ["https://new.example/cb"] and listed["name"] == "Renamed"
    assert (
        listed["oauth2"]["clientSecretId"] == secret_id and listed["oauth2"]["userInfoResponseStrategy"] == "signedJwt"
    )
