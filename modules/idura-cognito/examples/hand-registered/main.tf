# An application registered by hand in Idura's dashboard: no management API access, no external program.
# Store the secret Idura shows once with `idura-cognito secret put --stack prod` before the first plan, or pass
# it from your own vault as client_secret. This root needs only the AWS provider (versions.tf); outputs are in
# outputs.tf.
provider "aws" {
  region = "eu-north-1"
}

module "idura_cognito" {
  source = "../.."

  stack_name    = "prod"
  aws_region    = "eu-north-1"
  idura_domain  = "acme-corp.idura.broker"
  client_id     = "urn:idura:acme:cognito:manual"
  secret_source = "hand-registered"

  user_pool = {
    name                = "acme-manual"
    deletion_protection = true
  }

  domain = {
    custom          = "login.acme.com"
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
  }

  app_client = {
    callback_urls = ["https://app.acme.com/callback"]
  }
}
