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
  default_redirect_uri                 = var.app_client.default_redirect_uri
  supported_identity_providers = concat(
    var.app_client.cognito_login ? ["COGNITO"] : [],
    [aws_cognito_identity_provider.idura.provider_name],
    [for e in var.pinned_eids : aws_cognito_identity_provider.eid[e.name].provider_name],
  )

  # null: not managed (a created client gets Cognito's default, an adopted one keeps its own).
  access_token_validity         = var.app_client.access_token_validity
  id_token_validity             = var.app_client.id_token_validity
  refresh_token_validity        = var.app_client.refresh_token_validity
  explicit_auth_flows           = var.app_client.explicit_auth_flows
  prevent_user_existence_errors = var.app_client.prevent_user_existence_errors
  enable_token_revocation       = var.app_client.enable_token_revocation
  auth_session_validity         = var.app_client.auth_session_validity
  read_attributes               = var.app_client.read_attributes
  write_attributes              = var.app_client.write_attributes

  # Written only when the config names a unit: without the block the numbers are in Cognito's default units,
  # which are also what an unnamed unit in the block is (config/fields.py COGNITO_TOKEN_UNITS).
  dynamic "token_validity_units" {
    for_each = anytrue([for u in [var.app_client.access_token_unit, var.app_client.id_token_unit, var.app_client.refresh_token_unit] : u != null]) ? [true] : []
    content {
      access_token  = coalesce(var.app_client.access_token_unit, "hours")
      id_token      = coalesce(var.app_client.id_token_unit, "hours")
      refresh_token = coalesce(var.app_client.refresh_token_unit, "days")
    }
  }

  lifecycle {
    precondition {
      condition     = var.app_client.default_redirect_uri == null || contains(var.app_client.callback_urls, coalesce(var.app_client.default_redirect_uri, "-"))
      error_message = "app_client.default_redirect_uri must be one of app_client.callback_urls (Cognito refuses another)."
    }
  }
}
