output "idura_redirect_url" {
  description = "The redirect URL the idura-application submodule registers on the Idura application."
  value       = module.idura_cognito.idura_redirect_url
}

output "hosted_login_urls" {
  description = "Cognito's hosted login URL per identity provider."
  value       = module.idura_cognito.hosted_login_urls
}
