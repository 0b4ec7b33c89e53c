# The escrowed client secret: one Secrets Manager secret per (Idura domain, client id).
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
      error_message = "No Idura client secret is escrowed (Secrets Manager secret '${local.escrow_name}'). Store it once with: idura-cognito secret put --stack ${var.stack_name}"
    }
  }
}

locals {
  escrow_exists = contains(data.aws_secretsmanager_secrets.escrow.names, local.escrow_name)
}

data "aws_secretsmanager_secret_version" "escrow" {
  count     = local.escrow_exists ? 1 : 0
  secret_id = local.escrow_name
}

# Managed mode: the escrow's tag names the Idura secret id it holds (an id, not a secret).
data "aws_secretsmanager_secret" "escrow" {
  count = local.managed && local.escrow_exists ? 1 : 0
  name  = local.escrow_name
}

locals {
  escrowed_secret    = sensitive(local.escrow_exists ? one(data.aws_secretsmanager_secret_version.escrow[*].secret_string) : "")
  escrowed_secret_id = try(one(data.aws_secretsmanager_secret.escrow[*].tags)["idura-cognito:secret-id"], "")
  issued_secret      = local.managed ? data.external.idura_application[0].result["client_secret"] : ""

  # The secret issued in this run if any, else the escrowed one (a conditional: coalesce fails when both
  # are empty); var.client_secret overrides both.
  client_secret = sensitive(var.client_secret != null ? var.client_secret : (length(local.issued_secret) >= 1 ? local.issued_secret : local.escrowed_secret))
}

# Managed mode: Terraform owns the escrow. recovery_window_in_days = 0: a destroyed escrow is gone at once,
# so a later apply can reuse the name (a managed secret can always be issued again).
resource "aws_secretsmanager_secret" "escrow" {
  count = local.managed ? 1 : 0

  name                    = local.escrow_name
  description             = "Idura client secret of ${var.client_id} on ${var.idura_domain} (managed by idura-cognito)"
  recovery_window_in_days = 0
  tags = {
    "managed-by"              = "idura-cognito"
    "idura-cognito:secret-id" = data.external.idura_application[0].result["secret_id"]
  }
}

resource "aws_secretsmanager_secret_version" "escrow" {
  count = local.managed ? 1 : 0

  secret_id     = aws_secretsmanager_secret.escrow[0].id
  secret_string = local.client_secret
}
