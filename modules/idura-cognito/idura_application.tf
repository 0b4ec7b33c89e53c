# Managed mode: on every plan the program finds or creates the Idura application, adds the redirect URL,
# turns the code flow on, sets the plainJson user info strategy and issues a secret only when needed.
# Credentials come from Terraform's environment (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN, optional
# IDURA_CA_BUNDLE), never from query, which is stored in state.
data "external" "idura_application" {
  count = local.managed ? 1 : 0

  program = var.external_program != null ? var.external_program : ["python3", "${path.module}/bin/idura_application.pyz"]
  query = {
    idura_domain       = var.idura_domain
    client_id          = var.client_id
    application_name   = var.application_name
    redirect_uris      = jsonencode([local.redirect_url])
    have_secret        = local.escrow_exists ? "true" : "false"
    escrowed_secret_id = local.escrowed_secret_id
  }
}
