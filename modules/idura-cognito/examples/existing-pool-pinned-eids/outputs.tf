output "hosted_login_urls" {
  description = "Cognito's hosted login URL per identity provider: Idura's picker and one per pinned eID."
  value       = module.idura_cognito.hosted_login_urls
}
