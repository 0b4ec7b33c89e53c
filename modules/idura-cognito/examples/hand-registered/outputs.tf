output "idura_redirect_url" {
  description = "Register this redirect URL on the application in Idura's dashboard."
  value       = module.idura_cognito.idura_redirect_url
}
