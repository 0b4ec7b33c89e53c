# An existing user pool and domain, with one identity provider per pinned eID (direct "Log in with MitID",
# "Log in with BankID" buttons), in managed mode. The pool's id is variables.tf's user_pool_id; outputs in
# outputs.tf, versions in versions.tf.
provider "aws" {
  region = "eu-west-1"
}

module "idura_cognito" {
  source = "../.."

  aws_region        = "eu-west-1"
  idura_domain      = "acme-corp.idura.broker"
  client_id         = "urn:idura:acme:cognito:existing"
  secret_source     = "managed"
  idura_application = module.idura_application.result

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

module "idura_application" {
  source = "../../modules/idura-application"

  idura_domain     = "acme-corp.idura.broker"
  client_id        = "urn:idura:acme:cognito:existing"
  application_name = "Acme login (existing pool)"
  redirect_urls    = [module.idura_cognito.idura_redirect_url]
  cognito_host     = module.idura_cognito.cognito_host
  escrow           = module.idura_cognito.escrow
}
