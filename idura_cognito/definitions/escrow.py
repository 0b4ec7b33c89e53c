"""How a plan reads the escrowed client secret, as Terraform expressions: the CDKTF stack sets them as locals,
and the module's secret_escrow.tf holds the same expressions (tests/unit/test_contract_constants.py holds the two
equal). Plain data, so reading it starts no CDK."""

#: The module's locals for reading the escrow, by name.
READ_LOCALS = {
    "escrow_exists": "${contains(data.aws_secretsmanager_secrets.escrow.names, local.escrow_name)}",
    "escrow_versions": "${try(length(data.aws_secretsmanager_secret_versions.escrow[0].versions) > 0, false) ? "
    "data.aws_secretsmanager_secret_versions.escrow[0].versions : []}",
    "escrow_has_value": "${anytrue([for v in local.escrow_versions : try(contains(v.version_stages, "
    '"AWSCURRENT"), false)])}',
    "escrow_document": "${one(data.aws_secretsmanager_secret_version.escrow[*].secret_string)}",
    "escrowed_secret": "${local.escrow_has_value ? sensitive(try(jsondecode(local.escrow_document).client_secret, "
    'local.escrow_document)) : sensitive("")}',
    "escrowed_secret_id": "${local.escrow_has_value ? nonsensitive(sensitive(try(jsondecode("
    'local.escrow_document).idura_secret_id, ""))) : ""}',
    "escrow_has_secret": '${nonsensitive(sensitive(local.escrowed_secret != ""))}',
}
