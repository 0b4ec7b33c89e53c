# The escrowed client secret: one Secrets Manager secret per (Idura domain, client id) whose value is one JSON
# document, {"client_secret": ..., "idura_secret_id": ...}: the secret and the id of that secret at Idura are
# written and read together, so no interruption can leave a live id next to a dead secret. A plain string
# (escrows written before 0.2) reads as the secret with an unknown id.
# ListSecrets' name filter matches prefixes, so the result is compared exactly.
data "aws_secretsmanager_secrets" "escrow" {
  filter {
    name   = "name"
    values = [local.escrow_name]
  }

  lifecycle {
    # Hand-registered: only a person can fill the escrow, so a missing one stops the plan with the fix.
    postcondition {
      condition     = local.managed || var.client_secret != null || contains(self.names, local.escrow_name)
      error_message = "No Idura client secret is escrowed (Secrets Manager secret '${local.escrow_name}'). Store it once with: idura-cognito secret put --stack ${coalesce(var.stack_name, "<env>")}"
    }
  }
}

locals {
  escrow_exists = contains(data.aws_secretsmanager_secrets.escrow.names, local.escrow_name)
}

# An escrow can exist without a value (a run stopped between creating it and writing it): read its value only
# when it has a current version.
data "aws_secretsmanager_secret_versions" "escrow" {
  count     = local.escrow_exists ? 1 : 0
  secret_id = local.escrow_name
}

locals {
  escrow_versions  = try(length(data.aws_secretsmanager_secret_versions.escrow[0].versions) > 0, false) ? data.aws_secretsmanager_secret_versions.escrow[0].versions : []
  escrow_has_value = anytrue([for v in local.escrow_versions : try(contains(v.version_stages, "AWSCURRENT"), false)])
}

data "aws_secretsmanager_secret_version" "escrow" {
  count     = local.escrow_has_value ? 1 : 0
  secret_id = local.escrow_name
}

locals {
  escrow_document    = one(data.aws_secretsmanager_secret_version.escrow[*].secret_string)
  escrowed_secret    = local.escrow_has_value ? sensitive(try(jsondecode(local.escrow_document).client_secret, local.escrow_document)) : sensitive("")
  escrowed_secret_id = local.escrow_has_value ? nonsensitive(sensitive(try(jsondecode(local.escrow_document).idura_secret_id, ""))) : ""
  issued_secret      = local.managed ? var.idura_application.client_secret : sensitive("")

  # The secret issued in this run if any, else the escrowed one (a conditional: coalesce fails when both
  # are empty); var.client_secret overrides both.
  client_secret = sensitive(var.client_secret != null ? var.client_secret : (length(local.issued_secret) >= 1 ? local.issued_secret : local.escrowed_secret))

  # For the idura-application submodule: ids and flags only, never the secret, and only from data sources:
  # a reference to a resource would make Terraform put off the program until the apply whenever that resource
  # changes (a tag edit), and show the secret as changing.
  escrow_state = {
    exists     = local.escrow_exists
    has_secret = nonsensitive(sensitive(local.escrowed_secret != ""))
    secret_id  = local.escrowed_secret_id
  }

  # Managed mode: whether Cognito gets a secret in this run. A run that may not change Idura and has none (a
  # new stack, an emptied escrow) still plans, showing what an allowed run would do; its apply stops at the
  # precondition of every resource below before anything is created or changed. timestamp() is unknown
  # while planning, so that branch is decided only when applying.
  secret_ready        = !local.managed || nonsensitive(sensitive(local.client_secret != "")) ? true : timestamp() == "never"
  secret_gate_message = "No client secret for Cognito: changes at Idura are needed and this run may not make them (${local.managed ? nonsensitive(sensitive(var.idura_application.pending)) : ""}). Run `idura-cognito deploy`, or set IDURA_MANAGEMENT_ALLOW_CHANGES=true for the run that applies."
}

# Managed mode: Terraform owns the escrow. recovery_window_in_days = 0: a destroyed escrow is gone at once,
# so a later apply can reuse the name (a managed secret can always be issued again).
resource "aws_secretsmanager_secret" "escrow" {
  #checkov:skip=CKV2_AWS_57:Rotation means a new secret at Idura and in every Cognito provider at once; a Secrets Manager rotation function can do neither. Rotate with `idura-cognito secret rotate`, then deploy (docs/security.md).
  count = local.managed ? 1 : 0

  name                    = local.escrow_name
  description             = "Idura client secret of ${var.client_id} on ${var.idura_domain} (managed by idura-cognito)"
  kms_key_id              = var.escrow_kms_key_id
  recovery_window_in_days = 0
  tags                    = local.tags

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

resource "aws_secretsmanager_secret_version" "escrow" {
  count = local.managed ? 1 : 0

  secret_id = aws_secretsmanager_secret.escrow[0].id
  secret_string = sensitive(jsonencode({
    client_secret   = local.client_secret
    idura_secret_id = nonsensitive(var.idura_application.secret_id)
  }))

  lifecycle {
    precondition {
      condition     = var.idura_application != null
      error_message = "secret_source is \"managed\": pass the idura-application submodule's result as idura_application."
    }
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}
