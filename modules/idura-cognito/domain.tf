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

locals {
  # The DNS record a custom domain needs: an alias to the CloudFront distribution Cognito made for it.
  domain_alias_target = var.domain.custom == null ? null : {
    name    = aws_cognito_user_pool_domain.domain[0].cloudfront_distribution
    zone_id = aws_cognito_user_pool_domain.domain[0].cloudfront_distribution_zone_id
  }
}
