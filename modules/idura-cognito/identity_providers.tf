# The Idura identity provider: Cognito discovers Idura's endpoints and the user picks an eID on Idura's page.
resource "aws_cognito_identity_provider" "idura" {
  user_pool_id      = local.user_pool_id
  provider_name     = var.identity_provider.name
  provider_type     = "OIDC"
  provider_details  = local.provider_details
  attribute_mapping = local.attribute_mapping

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

# One provider per pinned eID: Idura's /<BASE64(acr)>/oauth2/authorize starts that eID directly (Cognito cannot
# forward acr_values), so every endpoint is given by hand; its own scopes and mapping when it has them.
resource "aws_cognito_identity_provider" "eid" {
  for_each = local.pinned_eids

  user_pool_id  = local.user_pool_id
  provider_name = each.key
  provider_type = "OIDC"
  provider_details = merge(local.provider_details, {
    authorize_scopes = join(" ", each.value.scopes != null ? each.value.scopes : var.identity_provider.scopes)
    authorize_url    = "${local.idura_issuer}/${base64encode(each.value.acr)}/oauth2/authorize"
    token_url        = "${local.idura_issuer}/oauth2/token"
    attributes_url   = "${local.idura_issuer}/oauth2/userinfo"
    jwks_uri         = "${local.idura_issuer}/.well-known/jwks"
  })
  attribute_mapping = local.eid_mappings[each.key]

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}
