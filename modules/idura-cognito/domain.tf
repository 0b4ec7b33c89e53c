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
  # The records a custom domain needs in its DNS zone: aliases to the CloudFront distribution Cognito made for
  # it. A list, empty for other domains: the cdktf CLI cannot read a null output after a deploy.
  domain_dns_records = var.domain.custom == null ? [] : [
    for type in ["A", "AAAA"] : {
      name          = var.domain.custom
      type          = type
      alias_name    = aws_cognito_user_pool_domain.domain[0].cloudfront_distribution
      alias_zone_id = aws_cognito_user_pool_domain.domain[0].cloudfront_distribution_zone_id
    }
  ]
}
