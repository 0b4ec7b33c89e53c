"""Where each resource lives in state, in both renderings, and how an existing one is imported.

The CDKTF stack puts resources at the root (``aws_cognito_user_pool.user_pool``, ``eid_mitid``); the rendered
HCL calls the module (``module.idura_cognito.aws_cognito_user_pool.user_pool[0]``, ``eid["MitID"]``). Each
rendering carries ``moved`` blocks from the other's addresses, so one state can be planned by either with zero
replacements (docs/migrating.md). ``adopt`` uses the import ids to take over resources built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.model import LEGACY_CLIENT as LEGACY_KEY
from ..config.model import StackConfig
from ..encoding import string
from . import naming

MODULE = "module.idura_cognito"


@dataclass(frozen=True)
class Resource:
    """A resource at the root of the CDKTF stack, by Terraform type and name (the module uses the same names)."""

    type: str
    name: str

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    def ref(self, attribute: str) -> str:
        """The expression for one of its attributes, e.g. ``${aws_cognito_user_pool.user_pool.id}``."""
        return f"${{{self.address}.{attribute}}}"


#: The Terraform name of the escrow's resources and data sources (the Secrets Manager name is naming.escrow_name).
ESCROW_RESOURCE = "escrow"
USER_POOL = Resource("aws_cognito_user_pool", "user_pool")
DOMAIN = Resource("aws_cognito_user_pool_domain", "domain")
#: The app clients: in the module one resource keyed by the client's key; in the CDKTF stack one per client
#: (``app_client`` for 0.3's one client, ``app_client_<key>`` for the others: AppClientSettings.terraform_name).
APP_CLIENT = Resource("aws_cognito_user_pool_client", "app_client")
RESOURCE_SERVER = Resource("aws_cognito_resource_server", "resource_server")
ESCROW_SECRET = Resource("aws_secretsmanager_secret", ESCROW_RESOURCE)
ESCROW_VERSION = Resource("aws_secretsmanager_secret_version", ESCROW_RESOURCE)
#: The linking trigger of a created pool (definitions/linking.py): one of each, count 0 or 1 in the module. The
#: names differ by more than type: a CDKTF stack's construct ids are unique across types.
LINK_PACKAGE = Resource("terraform_data", "link_federated_user_package")
LINK_ROLE = Resource("aws_iam_role", "link_federated_user_role")
LINK_POLICY = Resource("aws_iam_role_policy", "link_federated_user_policy")
LINK_LOG_GROUP = Resource("aws_cloudwatch_log_group", "link_federated_user_logs")
LINK_FUNCTION = Resource("aws_lambda_function", "link_federated_user")
LINK_PERMISSION = Resource("aws_lambda_permission", "link_federated_user_invoke")
LINKING = (LINK_PACKAGE, LINK_ROLE, LINK_POLICY, LINK_LOG_GROUP, LINK_FUNCTION, LINK_PERMISSION)


def identity_provider(name: str) -> Resource:
    """An OIDC provider: ``IDURA_PROVIDER`` (Idura's own page) or one per pinned eID (its ``terraform_name``)."""
    return Resource("aws_cognito_identity_provider", name)


IDURA_PROVIDER = identity_provider("idura")


def app_client(terraform_name: str) -> Resource:
    return Resource(APP_CLIENT.type, terraform_name)


def resource_server(terraform_name: str) -> Resource:
    return Resource(RESOURCE_SERVER.type, terraform_name)


@dataclass(frozen=True)
class Address:
    cdktf: str  # at the root of the CDKTF stack
    module: str  # inside the module call of the rendered HCL (without the module prefix)
    import_id: str | None = None  # Terraform import id, when the stack adopts an existing resource

    @property
    def hcl(self) -> str:
        return f"{MODULE}.{self.module}"


def client_address(client) -> Address:
    """Where an app client lives in either rendering (no import id)."""
    return Address(app_client(client.terraform_name).address, f"{APP_CLIENT.address}[{string(client.key)}]")


def renames(stack: StackConfig) -> list[tuple[Address, Address]]:
    """(from, to) for every client the config says was renamed: its old key's addresses and its new ones."""
    found = []
    for client in stack.app_clients:
        if client.renamed_from:
            old = client_address(type(client)(callback_urls=(), key=client.renamed_from))
            found.append((old, client_address(client)))
    return found


def resources(stack: StackConfig) -> list[Address]:
    """Every managed resource of the stack, with its import id when ``[stacks.<env>.adopt]`` names it."""
    adopt = stack.adopt
    pool = adopt.user_pool_id
    found = []
    if not stack.user_pool.is_existing:
        found.append(Address(USER_POOL.address, f"{USER_POOL.address}[0]", pool))
    if stack.domain.kind != "existing":
        domain = adopt.domain if adopt.domain else None
        found.append(Address(DOMAIN.address, f"{DOMAIN.address}[0]", domain))
    adopted = set(adopt.identity_providers)

    def idp_import(name: str) -> str | None:
        return f"{pool}:{name}" if pool and name in adopted else None

    idura = IDURA_PROVIDER.address
    found.append(Address(idura, idura, idp_import(stack.identity_provider.name)))
    for eid in stack.pinned_eids:
        found.append(
            Address(
                identity_provider(eid.terraform_name).address,
                f"aws_cognito_identity_provider.eid[{string(eid.name)}]",  # the one HCL string encoder
                idp_import(eid.name),
            )
        )
    for client in stack.app_clients:
        imported = adopt.app_clients.get(client.key)
        where = client_address(client)
        found.append(Address(where.cdktf, where.module, f"{pool}/{imported}" if pool and imported else None))
    for identifier in stack.resource_servers:
        name = naming.resource_server_resource(identifier)
        module = f"{RESOURCE_SERVER.address}[{string(identifier)}]"
        found.append(Address(resource_server(name).address, module))
    if stack.links_federated_users:
        found += [Address(r.address, f"{r.address}[0]") for r in LINKING]
    if stack.idura.managed:
        found.append(Address(ESCROW_SECRET.address, f"{ESCROW_SECRET.address}[0]"))
        found.append(Address(ESCROW_VERSION.address, f"{ESCROW_VERSION.address}[0]"))
    return found


#: 0.3's one client in the module, before clients were keyed. The module's own ``moved`` block carries it to
#: ``app_client["default"]``.
UNKEYED_CLIENT = f"{MODULE}.{APP_CLIENT.address}"


def _chains(stack: StackConfig) -> list[list[str]]:
    """For each resource, the addresses its state may have, in the order HCL -> CDKTF: ``[hcl, cdktf]``, or for a
    renamed client ``[hcl new, hcl old, cdktf old, cdktf new]``; 0.3's client passes through its unkeyed module
    address. Terraform lets each address be the target of one move at most, so moves follow a chain."""
    old_of = {new.cdktf: old for old, new in renames(stack)}
    chains = []
    for where in resources(stack):
        old = old_of.get(where.cdktf)
        first = old or where
        chain = [where.hcl, old.hcl] if old else [where.hcl]
        if first.cdktf == APP_CLIENT.address:
            chain.append(UNKEYED_CLIENT)
        chain += [old.cdktf, where.cdktf] if old else [where.cdktf]
        chains.append(chain)
    return chains


def _pairs(chain: list[str]) -> list[tuple[str, str]]:
    return [(chain[i], chain[i + 1]) for i in range(len(chain) - 1)]


def moves_into_cdktf(stack: StackConfig) -> list[tuple[str, str]]:
    """(from, to) of the CDKTF stack's ``moved`` blocks: a state applied from the rendered HCL (0.3's or this
    release's) plans with zero replacements, and a renamed client moves from its old name (its id stays)."""
    return [pair for chain in _chains(stack) for pair in _pairs(chain)]


def moves_into_hcl(stack: StackConfig) -> list[tuple[str, str]]:
    """(from, to) of the rendered root's ``moved`` blocks: the CDKTF chains reversed, without the hop from the
    unkeyed client to ``["default"]`` that the module itself declares."""
    legacy_hop = (UNKEYED_CLIENT, f"{MODULE}.{APP_CLIENT.address}[{string(LEGACY_KEY)}]")
    return [pair for chain in _chains(stack) for pair in _pairs(chain[::-1]) if pair != legacy_hop]
