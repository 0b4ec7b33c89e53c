output "result" {
  description = "The program's result for the idura-cognito module's idura_application input (sensitive)."
  sensitive   = true

  value = {
    client_secret  = data.external.idura_application.result.client_secret
    secret_id      = data.external.idura_application.result.secret_id
    application_id = data.external.idura_application.result.application_id
    pending        = data.external.idura_application.result.pending
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
