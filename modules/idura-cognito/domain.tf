resource "aws_cognito_user_pool_domain" "domain" {
  count = var.domain.existing == null ? 1 : 0

  user_pool_id          = local.user_pool_id
  domain                = coalesce(var.domain.prefix, var.domain.custom)
  certificate_arn       = var.domain.certificate_arn
  managed_login_version = var.domain.managed_login_version

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}
