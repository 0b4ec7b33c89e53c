# The values every resource and output of this module derives from its inputs. Outputs refer only to locals
# (the CDKTF stacks define the same locals from the config, so both renderings share one output definition).
locals {
  managed = var.secret_source == "managed"

  # Cognito's host for the login pages and for Idura's redirect.
  cognito_domain = coalesce(var.domain.prefix, var.domain.custom, var.domain.existing)
  cognito_host   = strcontains(local.cognito_domain, ".") ? local.cognito_domain : "${local.cognito_domain}.auth.${var.aws_region}.amazoncognito.com"
  redirect_url   = "https://${local.cognito_host}/oauth2/idpresponse"
  idura_issuer   = "https://${var.idura_domain}"
  aws_region     = var.aws_region

  user_pool_id  = var.user_pool.existing_id != null ? var.user_pool.existing_id : aws_cognito_user_pool.user_pool[0].id
  app_client_id = aws_cognito_user_pool_client.app_client.id
  idp_names     = concat([var.identity_provider.name], [for e in var.pinned_eids : e.name])
  callback_url  = var.app_client.callback_urls[0]
  oauth_scopes  = var.app_client.oauth_scopes
  tags          = merge(var.tags, local.managed_by_tags)

  idura_application_id = local.managed ? nonsensitive(var.idura_application.application_id) : null

  attribute_mapping = merge({ username = "sub" }, var.identity_provider.attributes)
  custom_attributes = sort([for k in keys(var.identity_provider.attributes) : trimprefix(k, "custom:") if startswith(k, "custom:")])
  pinned_eids       = { for e in var.pinned_eids : e.name => e }

  # Cognito's read-only attributes_url_add_attributes is always "false" for OIDC; stating it avoids a
  # perpetual provider_details diff (hashicorp/terraform-provider-aws#42157).
  provider_details = {
    client_id                     = var.client_id
    client_secret                 = local.client_secret
    authorize_scopes              = join(" ", var.identity_provider.scopes)
    oidc_issuer                   = local.idura_issuer
    attributes_request_method     = "GET"
    attributes_url_add_attributes = "false"
  }
}
