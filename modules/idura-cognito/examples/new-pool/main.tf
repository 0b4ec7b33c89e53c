# A new user pool with a prefix domain, in managed mode: `terraform plan` creates the Idura application and its
# client secret (IDURA_MANAGEMENT_URL and IDURA_MANAGEMENT_TOKEN in the environment).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.95, < 7.0"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3, < 3.0"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

module "idura_cognito" {
  source = "../.."

  aws_region       = "eu-north-1"
  idura_domain     = "acme-corp.idura.broker"
  client_id        = "urn:idura:acme:cognito:prod"
  application_name = "Acme login"
  secret_source    = "managed"

  user_pool = {
    name = "acme-prod"
  }

  domain = {
    prefix = "acme-login"
  }

  identity_provider = {
    attributes = {
      name      = "name"
      birthdate = "birthdate"
    }
  }

  app_client = {
    callback_urls = ["https://app.acme.com/callback"]
    logout_urls   = ["https://app.acme.com/"]
    oauth_scopes  = ["openid", "profile"]
  }
}

output "idura_redirect_url" {
  value = module.idura_cognito.idura_redirect_url
}

output "hosted_login_urls" {
  value = module.idura_cognito.hosted_login_urls
}
