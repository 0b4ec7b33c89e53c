"""The README's generated tables: the config reference (from the rule table) and the acr values Idura documents.

Like the module's files, they are written by ``make generate`` and compared by its ``--check`` (and a test), so
the README cannot describe a rule the loader does not enforce. Nothing here runs for users.
"""

from __future__ import annotations

from pathlib import Path

from idura_verify.acr_values import DOCUMENTED
from idura_verify.rules import RULES

CONFIG_BEGIN, CONFIG_END = "<!-- BEGIN_CONFIG_REFERENCE -->", "<!-- END_CONFIG_REFERENCE -->"
ACR_BEGIN, ACR_END = "<!-- BEGIN_ACR_VALUES -->", "<!-- END_ACR_VALUES -->"

#: The default (or when the key applies) of each config key; the loader (config/schema.py) implements them.
DEFAULTS: dict[str, str] = {
    "stack": "one table per environment",
    "aws.region": "required",
    "aws.endpoint_url": "real AWS",
    "idura.domain": "required",
    "idura.client_id": "required",
    "idura.application_name": "`AWS Cognito (<stack>)`",
    "idura.secret_source": "`hand-registered`",
    "user_pool.name": "one of name / existing_id",
    "user_pool.existing_id": "one of name / existing_id",
    "domain.prefix": "one of prefix / custom / existing",
    "domain.custom": "with certificate_arn",
    "domain.certificate_arn": "with custom",
    "domain.existing": "",
    "identity_provider.name": "`Idura`",
    "identity_provider.scopes[]": '`["openid"]`; must include `openid`',
    "identity_provider.attributes{}": '`{username = "sub"}` plus yours',
    "identity_provider.attributes{}=": "",
    "pinned_eids[].name": "none pinned",
    "pinned_eids[].acr": "documented values below; another `urn:` value warns",
    "app_client.name": "`idura-cognito`",
    "app_client.callback_urls[]": "required, 1-100",
    "app_client.logout_urls[]": "`[]`",
    "app_client.oauth_scopes[]": '`["openid"]`',
    "tags{}": "`{}` (plus `managed-by = idura-cognito`)",
    "tags{}=": "",
    "escrow.kms_key_id": "the AWS managed key",
    "adopt.app_client_id": "written by `idura-cognito adopt`",
    "backend.type": "`local`",
    "backend.path": "`terraform.<stack>.tfstate`",
    "backend.bucket": "required for s3",
    "backend.key": "required for s3",
    "backend.region": "required for s3",
    "backend.dynamodb_table": "none (`use_lockfile` locks)",
    "backend.kms_key_id": "none",
    "backend.organization": "required for cloud",
    "backend.workspace": "required for cloud",
    "backend.project": "the organization's default",
    "backend.hostname": "`app.terraform.io`",
}

#: Config keys that are booleans or small integers (no string rule).
SWITCHES: tuple[tuple[str, str, str], ...] = (
    ("user_pool.deletion_protection", "`false`", "`true` / `false`; created pools only"),
    (
        "user_pool.username_case_sensitive",
        "`false`",
        "`true` / `false`; created pools only (Cognito cannot change it later)",
    ),
    ("domain.managed_login_version", "`1`", "`1` classic hosted UI, `2` managed login; created domains only"),
    ("app_client.generate_secret", "`false`", "`true` for a confidential app client (Cognito cannot change it later)"),
    ("backend.use_lockfile", "`true`", "s3: lock with a lock file next to the state"),
    ("backend.encrypt", "`true`", "s3: server-side encryption of the state (it holds the client secret)"),
    ("adopt.user_pool_id", "written by `idura-cognito adopt`", "as `user_pool.existing_id`"),
    ("adopt.domain", "written by `idura-cognito adopt`", "as `domain.existing`"),
    ("adopt.identity_providers", "written by `idura-cognito adopt`", "as `identity_provider.name`"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def config_reference() -> str:
    rows = [(rule.key, DEFAULTS[rule.key], rule.allowed) for rule in RULES if rule.key in DEFAULTS]
    rows += SWITCHES
    order = [rule.key for rule in RULES if rule.key in DEFAULTS]
    rows.sort(key=lambda row: order.index(row[0]) if row[0] in order else _after(row[0], order))
    lines = [CONFIG_BEGIN, "| key | default | allowed |", "| --- | --- | --- |"]
    lines += [f"| `{_display(key)}` | {_cell(default)} | {_cell(allowed)} |" for key, default, allowed in rows]
    return "\n".join([*lines, CONFIG_END])


def _display(key: str) -> str:
    return "stacks.<name>" if key == "stack" else key


def _after(key: str, order: list[str]) -> float:
    """A switch goes after the last rule of its table."""
    table = key.split(".")[0]
    positions = [i for i, other in enumerate(order) if other.split(".")[0] == table]
    return (max(positions) if positions else len(order)) + 0.5


def acr_values() -> str:
    lines = [
        ACR_BEGIN,
        "| acr value | eID | country | `identityscheme` | `<BASE64(acr)>` path segment |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{e.acr}` | {e.eid} | {e.country or '-'} | `{e.scheme}` | `{e.path_segment}` |" for e in DOCUMENTED]
    return "\n".join([*lines, ACR_END])


def with_tables(readme: str) -> str:
    for begin, end, table in ((CONFIG_BEGIN, CONFIG_END, config_reference()), (ACR_BEGIN, ACR_END, acr_values())):
        before, found, rest = readme.partition(begin)
        if not found:
            raise ValueError(f"README.md lost its {begin} marker")
        _, _, after = rest.partition(end)
        readme = before + table + after
    return readme


def write(readme: Path, check: bool) -> list[str]:
    """Writes the tables into ``readme`` (with ``check``, only compares); the names of files that differed."""
    current = readme.read_text()
    text = with_tables(current)
    if text == current:
        return []
    if not check:
        readme.write_text(text)
    return [readme.name]
