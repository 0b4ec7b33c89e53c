# An existing user pool and domain, with one identity provider per pinned eID (direct "Log in with MitID",
# "Log in with BankID" buttons), in managed mode.
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
  region = "eu-west-1"
}

variable "user_pool_id" {
  description = "Id of the existing user pool (it must not require email)."
  type        = string
  default     = "eu-west-1_AbCdEf123"
}

module "idura_cognito" {
  source = "../.."

  aws_region    = "eu-west-1"
  idura_domain  = "acme-corp.idura.broker"
  client_id     = "urn:idura:acme:cognito:existing"
  secret_source = "managed"

  user_pool = {
    existing_id = var.user_pool_id
  }

  domain = {
    existing = "login.acme.com"
  }

  pinned_eids = [
    { name = "MitID", acr = "urn:grn:authn:dk:mitid:substantial" },
    { name = "SE-BankID", acr = "urn:grn:authn:se:bankid" },
  ]

  app_client = {
    name          = "acme-web"
    callback_urls = ["https://app.acme.com/callback"]
  }
}

output "hosted_login_urls" {
  value = module.idura_cognito.hosted_login_urls
}
