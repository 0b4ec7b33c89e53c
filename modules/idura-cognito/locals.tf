locals {
  managed = var.secret_source == "managed"

  # Cognito's host for the login pages and for Idura's redirect.
  cognito_domain = coalesce(var.domain.prefix, var.domain.custom, var.domain.existing)
  cognito_host   = strcontains(local.cognito_domain, ".") ? local.cognito_domain : "${local.cognito_domain}.auth.${var.aws_region}.amazoncognito.com"
  redirect_url   = "https://${local.cognito_host}/oauth2/idpresponse"
  idura_issuer   = "https://${var.idura_domain}"

  user_pool_id = var.user_pool.existing_id != null ? var.user_pool.existing_id : aws_cognito_user_pool.user_pool[0].id

  # Secrets Manager names allow letters, digits and /_+=.@- only. A client id made of those is used as is;
  # any other becomes a readable slug plus 8 hex of its SHA-256 (the same mapping as idura_cognito.config).
  escrow_safe_client_id = can(regex("^[A-Za-z0-9_+=.@-]+$", var.client_id))
  escrow_slug           = trim(replace(var.client_id, "/[^A-Za-z0-9_+=.@-]+/", "-"), "-")
  escrow_client_part    = local.escrow_safe_client_id ? var.client_id : "${local.escrow_slug == "" ? "client" : local.escrow_slug}-${substr(sha256(var.client_id), 0, 8)}"
  escrow_name           = "idura-cognito/${replace(var.idura_domain, ":", "-")}/${local.escrow_client_part}"

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
