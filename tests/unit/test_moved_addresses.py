"""The moved blocks of both renderings, as Terraform checks them: each address is the target of one move at most
("Ambiguous move statements" otherwise, which stops every plan), and every address a state may hold for a
resource (either rendering, 0.3's unkeyed client, a client's old key) leads to where this config puts it."""

from __future__ import annotations

import pytest

from idura_cognito.definitions import addresses
from tests.support.config import base_config, parsed_config

MODULE_CLIENT = "module.idura_cognito.aws_cognito_user_pool_client.app_client"
#: The module's own moved block (modules/idura-cognito/app_client.tf): 0.3's unkeyed client to the default key.
MODULE_MOVE = (MODULE_CLIENT, f'{MODULE_CLIENT}["default"]')


def stack(clients: dict | None = None, *, pinned: bool = True):
    config = base_config()
    dev = config["stacks"]["dev"]
    if clients is not None:
        del dev["app_client"]
        dev["app_clients"] = clients
    if pinned:
        dev["pinned_eids"] = [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}]
    return parsed_config(config, "idura-cognito.toml").stack("dev")


def follow(moves: list[tuple[str, str]], start: str) -> str:
    table = dict(moves)
    seen = [start]
    while seen[-1] in table:
        seen.append(table[seen[-1]])
        assert len(seen) < 20, f"a cycle: {seen}"
    return seen[-1]


CALLBACK = {"callback_urls": ["https://app.acme.com/callback"]}
CONFIGS = {
    "one [app_client]": dict(clients=None),
    "three clients": dict(
        clients={
            "web": CALLBACK,
            "backend": {
                "oauth_flows": ["client_credentials"],
                "generate_secret": True,
                "oauth_scopes": ["api/read"],
            },
            "default": CALLBACK,
        }
    ),
    "the one client renamed": dict(clients={"web": CALLBACK | {"renamed_from": "default"}}),
    "another client renamed": dict(clients={"default": CALLBACK, "portal": CALLBACK | {"renamed_from": "site"}}),
}


@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("rendering", ["hcl", "cdktf"])
def test_no_address_is_the_target_of_two_moves(name, rendering):
    config = stack(**CONFIGS[name])
    moves = addresses.moves_into_hcl(config) if rendering == "hcl" else addresses.moves_into_cdktf(config)
    if rendering == "hcl":
        moves = moves + [MODULE_MOVE]  # Terraform counts the module's own block too
    targets = [target for _, target in moves]
    assert len(targets) == len(set(targets)), sorted(t for t in targets if targets.count(t) > 1)
    sources = [source for source, _ in moves]
    assert len(sources) == len(set(sources))


@pytest.mark.parametrize("name", CONFIGS)
def test_every_address_a_state_may_hold_leads_to_the_resource(name):
    config = stack(**CONFIGS[name])
    into_hcl = addresses.moves_into_hcl(config) + [MODULE_MOVE]
    into_cdktf = addresses.moves_into_cdktf(config)
    renamed = {new.cdktf: old for old, new in addresses.renames(config)}
    for where in addresses.resources(config):
        old = renamed.get(where.cdktf)
        held = [where.cdktf, where.hcl] + ([old.cdktf, old.hcl] if old else [])
        if (old or where).cdktf == addresses.APP_CLIENT.address:
            held.append(MODULE_CLIENT)  # 0.3's rendered HCL
        for address in held:
            assert follow(into_hcl, address) == where.hcl, address
            assert follow(into_cdktf, address) == where.cdktf, address
