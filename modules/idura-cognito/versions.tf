terraform {
  # optional() object attributes with defaults (1.3), strcontains() (1.5).
  required_version = ">= 1.5.0"

  required_providers {
    # managed_login_version on aws_cognito_user_pool_domain exists from 5.95; 6.x works unchanged.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.95, < 7.0"
    }
    # Only used in managed mode (data "external"); the protocol is unchanged since 2.x.
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3, < 3.0"
    }
  }
}
