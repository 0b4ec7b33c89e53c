output "result" {
  description = "The program's result for the idura-cognito module's idura_application input (sensitive)."
  sensitive   = true

  # Checked while planning, before the program would run: a module used from git carries no build output.
  precondition {
    condition     = var.program != null || fileexists(local.default_program)
    error_message = "The idura_application program is not at ${local.default_program} (a module used from git carries no build output): write it there with `idura-cognito program --out ${local.default_program}`, or set program = [\"python3\", \"-I\", \"<path to idura_application.pyz>\"]."
  }

  value = {
    client_secret  = data.external.idura_application.result.client_secret
    secret_id      = data.external.idura_application.result.secret_id
    application_id = data.external.idura_application.result.application_id
  }
}

output "action" {
  description = "What the program did at Idura: created, updated, rotated, unchanged, or pending."
  value       = data.external.idura_application.result.action
}

output "pending" {
  description = "What a run allowed to change Idura would change (\"\" when nothing)."
  value       = data.external.idura_application.result.pending
}
