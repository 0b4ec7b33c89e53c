# A new user pool with a prefix domain, in managed mode: the idura-application submodule creates the Idura
# application and its client secret (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN and IDURA_MANAGEMENT_TENANT in
# the environment; IDURA_MANAGEMENT_ALLOW_CHANGES=true for the run that applies). Outputs in outputs.tf,
# versions in versions.tf.
provider "aws" {
  region = "eu-north-1"
}

module "idura_cognito" {
  source = "../.."

  aws_region        = "eu-north-1"
  idura_domain      = "acme-corp.idura.broker"
  client_id         = "urn:idura:acme:cognito:prod"
  secret_source     = "managed"
  idura_application = module.idura_application.result

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

module "idura_application" {
  source = "../../modules/idura-application"

  idura_domain     = "acme-corp.idura.broker"
  client_id        = "urn:idura:acme:cognito:prod"
  application_name = "Acme login"
  redirect_urls    = [module.idura_cognito.idura_redirect_url]
  cognito_host     = module.idura_cognito.cognito_host
  escrow           = module.idura_cognito.escrow
}
