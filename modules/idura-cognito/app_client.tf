# A client for the code flow (public unless generate_secret). supported_identity_providers references the
# provider resources, so Terraform creates them first ("The provider X does not exist for User Pool" otherwise).
resource "aws_cognito_user_pool_client" "app_client" {
  name                                 = var.app_client.name
  user_pool_id                         = local.user_pool_id
  generate_secret                      = var.app_client.generate_secret ? true : null # null: an imported client reads back none
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = var.app_client.oauth_scopes
  callback_urls                        = var.app_client.callback_urls
  logout_urls                          = length(var.app_client.logout_urls) > 0 ? var.app_client.logout_urls : null
  supported_identity_providers = concat(
    [aws_cognito_identity_provider.idura.provider_name],
    [for e in var.pinned_eids : aws_cognito_identity_provider.eid[e.name].provider_name],
  )
}
