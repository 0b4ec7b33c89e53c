# A pool eID logins can federate into: no required attribute (eIDs return no email, and required attributes
# can never be changed later), no self sign-up unless asked, and the custom attributes the mapping uses. Every
# setting a console-built pool may carry that this resource would otherwise reset is a variable attribute, so an
# adopted pool keeps it (`idura-cognito adopt` writes what exists into the config).
resource "aws_cognito_user_pool" "user_pool" {
  count = var.user_pool.existing_id == null ? 1 : 0

  name                     = var.user_pool.name
  deletion_protection      = var.user_pool.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = upper(var.user_pool.mfa)
  auto_verified_attributes = length(var.user_pool.auto_verified_attributes) > 0 ? var.user_pool.auto_verified_attributes : null
  username_attributes      = length(var.user_pool.username_attributes) > 0 ? var.user_pool.username_attributes : null
  alias_attributes         = length(var.user_pool.alias_attributes) > 0 ? var.user_pool.alias_attributes : null
  tags                     = merge(local.tags, local.stack_tag)

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }

  # Default: nobody signs up; federated users and administrators only (user_pool.self_sign_up).
  admin_create_user_config {
    allow_admin_create_user_only = !var.user_pool.self_sign_up
  }

  # The pre sign-up trigger: the linking function (linking.tf), or the team's own (user_pool.pre_sign_up_lambda_arn).
  # No other trigger is managed: adopt refuses a pool that has one.
  dynamic "lambda_config" {
    for_each = local.link_federated_users || var.user_pool.pre_sign_up_lambda_arn != null ? [true] : []
    content {
      pre_sign_up = local.link_federated_users ? aws_lambda_function.link_federated_user[0].arn : var.user_pool.pre_sign_up_lambda_arn
    }
  }

  dynamic "software_token_mfa_configuration" {
    for_each = var.user_pool.mfa_totp ? [true] : []
    content {
      enabled = true
    }
  }

  # Cannot change after creation: an adopted pool keeps the value it was created with.
  username_configuration {
    case_sensitive = var.user_pool.username_case_sensitive
  }

  dynamic "schema" {
    for_each = local.custom_attributes
    content {
      name                = schema.value
      attribute_data_type = "String"
      # Mutable: Cognito rewrites mapped attributes on every federated login.
      mutable = true
      # Without explicit constraints the provider plans a diff on every run.
      string_attribute_constraints {
        min_length = "0"
        max_length = "2048"
      }
    }
  }
}
