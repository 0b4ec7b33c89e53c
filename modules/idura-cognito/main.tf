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

  user_pool_id = var.user_pool.existing_id != null ? var.user_pool.existing_id : aws_cognito_user_pool.user_pool[0].id
  idp_names    = concat([var.identity_provider.name], [for e in var.pinned_eids : e.name])
  tags         = merge(var.tags, local.managed_by_tags)

  idura_application_id = local.managed ? nonsensitive(var.idura_application.application_id) : null

  # Each identity provider's mapping: the picker's, and a pinned eID's own (else the picker's).
  attribute_mapping = merge({ username = "sub" }, var.identity_provider.attributes)
  pinned_eids       = { for e in var.pinned_eids : e.name => e }
  eid_mappings      = { for e in var.pinned_eids : e.name => e.attributes != null ? merge({ username = "sub" }, e.attributes) : local.attribute_mapping }
  mapped_attributes = distinct(concat(keys(local.attribute_mapping), flatten([for m in values(local.eid_mappings) : keys(m)])))
  custom_attributes = sort([for k in local.mapped_attributes : trimprefix(k, "custom:") if startswith(k, "custom:")])

  # An existing domain is registered at Idura as the stack's redirect host: it must be a domain of the existing
  # pool (DescribeUserPool's Domain or CustomDomain), never a name the config merely states. A new pool has none.
  existing_pool_domains       = compact(flatten([for pool in data.aws_cognito_user_pool.existing : [pool.domain, pool.custom_domain]]))
  domain_is_the_pools         = var.domain.existing == null || contains(local.existing_pool_domains, coalesce(var.domain.existing, "-"))
  domain_is_the_pools_message = var.user_pool.existing_id == null ? "domain.existing names a domain of an existing pool; a new pool has none yet: use domain.prefix or domain.custom." : "domain.existing = ${jsonencode(coalesce(var.domain.existing, "-"))} is not a domain of user pool ${var.user_pool.existing_id} (its domains: ${jsonencode(local.existing_pool_domains)}): the stack registers its redirect URL at Idura only on the pool's own domain."

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

# An existing pool's own domains, read from AWS (DescribeUserPool), only to check domain.existing against them.
data "aws_cognito_user_pool" "existing" {
  count        = var.user_pool.existing_id != null && var.domain.existing != null ? 1 : 0
  user_pool_id = var.user_pool.existing_id
}
