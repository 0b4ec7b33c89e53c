output "user_pool_id" {
  description = "Id of the Cognito user pool."
  value       = local.user_pool_id
}

output "app_client_id" {
  description = "Id of the Cognito app client for the code flow."
  value       = aws_cognito_user_pool_client.app_client.id
}

output "idura_redirect_url" {
  description = "Register this redirect URL on the Idura application."
  value       = local.redirect_url
}

output "issuer" {
  description = "Issuer of the tokens Cognito gives your applications."
  value       = "https://cognito-idp.${var.aws_region}.amazonaws.com/${local.user_pool_id}"
}

output "idura_issuer" {
  description = "Issuer Cognito trusts for Idura logins."
  value       = local.idura_issuer
}

output "escrow_secret_name" {
  description = "Secrets Manager secret that escrows the client secret."
  value       = local.escrow_name
}

output "hosted_login_urls" {
  description = "Per identity provider: a hosted login URL that starts that provider's login at once."
  value = {
    for name in concat([var.identity_provider.name], [for e in var.pinned_eids : e.name]) :
    name => join("", [
      "https://${local.cognito_host}/oauth2/authorize?identity_provider=${replace(urlencode(name), "+", "%20")}",
      "&response_type=code&client_id=${aws_cognito_user_pool_client.app_client.id}",
      "&redirect_uri=${replace(urlencode(var.app_client.callback_urls[0]), "+", "%20")}",
      "&scope=${replace(urlencode(join(" ", var.app_client.oauth_scopes)), "+", "%20")}",
    ])
  }
}

output "idura_application_id" {
  description = "Managed mode: id of the application at Idura (null when hand-registered)."
  value       = local.managed ? data.external.idura_application[0].result["application_id"] : null
}
