# Managed mode: the external program finds or creates the Idura application, adds Cognito's redirect URL, turns
# the code flow on, sets the plainJson user info strategy and issues a secret only when one is needed.
#
# A plan is a read: the program changes Idura only in a run of `idura-cognito deploy` (a one-time grant for exactly
# the reviewed changes) or one that sets IDURA_MANAGEMENT_ALLOW_CHANGES (see docs/security.md); any other run
# reports what it would change, in `pending` and `intent`, and in the check below.
# Credentials come from Terraform's environment (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN, optional
# IDURA_CA_BUNDLE), never from query, which is stored in state.
# The program is readable, standard-library Python 3.9+ with one copy: providers/idura_verify/program/, beside the
# modules/ folder that holds this module (in the idura-cognito repository, in a module sourced from git, which
# Terraform downloads whole, and in a folder `idura-cognito hcl` renders). `python3 -I -B <folder>` runs its
# __main__.py, which checks the Python version; -B: it never writes a cache into its folder.
locals {
  default_program = "${path.module}/../../../../providers/idura_verify/program"
  program         = var.program != null ? var.program : ["python3", "-I", "-B", local.default_program]
}

data "external" "idura_application" {
  program = local.program
  query = {
    idura_domain       = var.idura_domain
    client_id          = var.client_id
    application_name   = var.application_name
    redirect_uris      = jsonencode(var.redirect_urls)
    post_logout_uris   = jsonencode(var.post_logout_urls)
    cognito_host       = var.cognito_host
    have_secret        = var.escrow.has_secret ? "true" : "false"
    escrowed_secret_id = var.escrow.secret_id
  }

  lifecycle {
    # Checked before the program runs: a module used from git carries no build output.
    precondition {
      condition     = var.program != null || fileexists("${local.default_program}/__main__.py")
      error_message = "The idura_application program is not in ${local.default_program}: the program lives in providers/idura_verify/program/ beside the modules/ folder (a clone or a git source of the repository has it; re-render a rendered folder), or set program = [\"python3\", \"-I\", \"-B\", \"<path to the program folder>\"]."
    }
  }
}

check "idura_changes" {
  assert {
    condition     = data.external.idura_application.result.pending == ""
    error_message = "Idura changes are pending; only `idura-cognito deploy` or a run with IDURA_MANAGEMENT_ALLOW_CHANGES makes them: ${data.external.idura_application.result.pending}"
  }
}
