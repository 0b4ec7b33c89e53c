"""Resources a plan would create that already exist outside the state, and the import that takes each back.

An interrupted apply can leave resources in AWS but not in Terraform's state: on Ctrl-C the AWS provider cancels
its requests in flight, and a request AWS had already carried out is then not recorded (seen with
CreateIdentityProvider); a crash of the machine does the same. The next plan would create them again: a second
user pool with the same name (Cognito allows it; the users of the first are stranded) or fail on a name that
exists (DuplicateProviderException, ResourceExistsException).

So whenever a plan creates one of these, the product looks for it first. What can only be this stack's (an
identity provider or app client of the name the config gives, in the pool the state holds; the domain the
config names, on that pool; the managed escrow of this stack's exact name) is ``certain``: deploy imports it
and plans again. Pool names are not unique, so a user pool is certain only when it carries the stack's tag
(naming.STACK_TAG, set when the product created it: a console-built namesake has none); then it is taken back as
the others are, and namesakes without the tag are named as not this stack's. A pool no tag proves (one created
before 0.4, or by hand) is named with the import line, and deploy stops until someone decides. A steady-state plan
creates nothing and so costs no AWS call.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..aws import aws_client
from ..config.model import StackConfig
from ..definitions import addresses, naming


@dataclass(frozen=True)
class Orphan:
    what: str  # "user pool 'acme-dev'"
    resource_id: str  # the Terraform import id
    address: str  # where it belongs in this root's state
    certain: bool  # can only be this stack's: deploy takes it back by itself

    def import_command(self, root: Path) -> str:
        return shlex.join(["terraform", f"-chdir={root}", "import", self.address, self.resource_id])

    def line(self, root: Path) -> str:
        return (
            f"{self.what} exists as {self.resource_id} but is not in this stack's state (a run that was cut off "
            f"created it?): take it back with `{self.import_command(root)}`, then plan again"
        )


def pool_in_state(state: dict[str, Any]) -> str | None:
    """The id of the user pool the state holds (``terraform state pull``), in either rendering."""
    for resource in state.get("resources", []):
        if resource.get("type") == addresses.USER_POOL.type and resource.get("mode") == "managed":
            for instance in resource.get("instances", []):
                pool_id = instance.get("attributes", {}).get("id")
                if pool_id:
                    return pool_id
    return None


def find(stack: StackConfig, created: set[str], hcl: bool, state: dict[str, Any] | None) -> list[Orphan]:
    """Orphans among the resources a plan creates (``created``: addresses as the plan prints them)."""
    by_name = {a.cdktf: (a.hcl if hcl else a.cdktf) for a in addresses.resources(stack)}
    wanted = {target: source for source, target in by_name.items() if target in created}
    if not wanted:
        return []
    cognito = aws_client("cognito-idp", stack.aws)
    pool_id = stack.user_pool.existing_id or pool_in_state(state or {})
    found: list[Orphan] = []
    for address, source in wanted.items():
        if source == addresses.USER_POOL.address and stack.user_pool.name:
            found += _pool_orphans(cognito, stack, address)
        elif source == addresses.DOMAIN.address and pool_id:
            described = cognito.describe_user_pool_domain(Domain=stack.domain.cognito_domain).get("DomainDescription")
            if described and described.get("UserPoolId") == pool_id:
                found.append(
                    Orphan(f"domain {stack.domain.cognito_domain!r}", stack.domain.cognito_domain, address, True)
                )
        elif source.startswith("aws_cognito_identity_provider.") and pool_id:
            name = _provider_name(stack, source)
            if name in _provider_names(cognito, pool_id):
                found.append(Orphan(f"identity provider {name!r}", f"{pool_id}:{name}", address, certain=True))
        elif source.startswith(f"{addresses.APP_CLIENT.type}.") and pool_id:
            client = next(c for c in stack.app_clients if addresses.app_client(c.terraform_name).address == source)
            for existing in _clients(cognito, pool_id):
                if existing["ClientName"] == client.name:
                    found.append(
                        Orphan(f"app client {client.name!r}", f"{pool_id}/{existing['ClientId']}", address, True)
                    )
        elif source == addresses.ESCROW_SECRET.address:
            secrets = aws_client("secretsmanager", stack.aws)
            listed = secrets.list_secrets(Filters=[{"Key": "name", "Values": [stack.escrow_name]}])["SecretList"]
            found += [
                Orphan(f"escrow {stack.escrow_name!r}", secret["ARN"], address, certain=True)
                for secret in listed
                if secret.get("Name") == stack.escrow_name and not secret.get("DeletedDate")
            ]
    # Two app clients of one name for one address would make the import ambiguous: let a person choose.
    for target in {o.address for o in found}:
        same = [o for o in found if o.address == target]
        if len(same) > 1:
            found = [o for o in found if o not in same] + [
                Orphan(o.what, o.resource_id, o.address, certain=False) for o in same
            ]
    return found


def _pool_orphans(cognito, stack: StackConfig, address: str) -> list[Orphan]:
    """Pools of the configured name: the one carrying this stack's tag is certain; without one, every namesake is
    named and none is taken."""
    what = f"user pool {stack.user_pool.name!r}"
    namesakes = [pool["Id"] for pool in _pools(cognito) if pool.get("Name") == stack.user_pool.name]
    proof = naming.stack_tag_value(stack.name, stack.escrow_name)
    ours = [
        pool_id
        for pool_id in namesakes
        if (cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("UserPoolTags") or {}).get(naming.STACK_TAG)
        == proof
    ]
    if len(ours) == 1:
        return [Orphan(f"{what} (tagged {naming.STACK_TAG} by this stack)", ours[0], address, certain=True)]
    return [Orphan(what, pool_id, address, certain=False) for pool_id in namesakes]


def parse_state(text: str) -> dict[str, Any]:
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        return {}


def _provider_name(stack: StackConfig, source: str) -> str:
    if source == addresses.IDURA_PROVIDER.address:
        return stack.identity_provider.name
    return next(e.name for e in stack.pinned_eids if addresses.identity_provider(e.terraform_name).address == source)


def _clients(cognito, pool_id: str) -> list[dict]:
    clients, token = [], None
    while True:
        page = cognito.list_user_pool_clients(
            UserPoolId=pool_id, MaxResults=60, **({"NextToken": token} if token else {})
        )
        clients += page.get("UserPoolClients", [])
        token = page.get("NextToken")
        if not token:
            return clients


def _provider_names(cognito, pool_id: str) -> set[str]:
    return {p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool_id, MaxResults=60)["Providers"]}


def _pools(cognito) -> list[dict]:
    pools, token = [], None
    while True:
        page = cognito.list_user_pools(MaxResults=60, **({"NextToken": token} if token else {}))
        pools += page.get("UserPools", [])
        token = page.get("NextToken")
        if not token:
            return pools
