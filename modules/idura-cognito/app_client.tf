# The app clients, one per key of var.app_clients (0.3's single var.app_client is the client "default").
# supported_identity_providers references the provider resources, so Terraform creates them first ("The
# provider X does not exist for User Pool" otherwise).
locals {
  app_clients = merge(var.app_client != null ? { default = var.app_client } : {}, var.app_clients)

  # Idura's end-session URL per client that signs out (idura_cognito/definitions/sign_out.py): Cognito's /logout
  # redirects there (so it is one of the client's sign-out URLs), Idura then ends its SSO session and sends the
  # browser to the client's sign_out URL (registered at Idura as a callback URL).
  idura_logout_urls = {
    for key, c in local.app_clients : key => "${local.idura_issuer}/oauth2/logout?client_id=${replace(urlencode(var.client_id), "+", "%20")}&post_logout_redirect_uri=${replace(urlencode(c.sign_out), "+", "%20")}"
    if c.sign_out != null
  }

  client_logout_urls = {
    for key, c in local.app_clients : key => concat(c.logout_urls, [
      for u in compact([lookup(local.idura_logout_urls, key, "")]) : u if !contains(c.logout_urls, u)
    ])
  }

  # The providers each client offers: its own list, or every identity provider of the stack.
  client_providers = {
    for key, c in local.app_clients : key => concat(c.cognito_login ? ["COGNITO"] : [], c.identity_providers != null ? c.identity_providers : local.idp_names)
  }
  provider_resources = merge(
    { (var.identity_provider.name) = aws_cognito_identity_provider.idura.provider_name },
    { for e in var.pinned_eids : e.name => aws_cognito_identity_provider.eid[e.name].provider_name },
  )

  # Every resource server a client's `server/scope` scope names, with its scopes (existing ones excepted).
  scoped = flatten([for c in values(local.app_clients) : [for s in c.oauth_scopes : s if strcontains(s, "/")]])
  resource_servers = {
    for server in distinct([for s in local.scoped : regex("^(.*)/[^/]*$", s)[0]]) : server => sort(distinct([
      for s in local.scoped : regex("^.*/([^/]*)$", s)[0] if regex("^(.*)/[^/]*$", s)[0] == server
    ])) if !contains(var.existing_resource_servers, server)
  }
}

resource "aws_cognito_resource_server" "resource_server" {
  for_each = local.resource_servers

  user_pool_id = local.user_pool_id
  identifier   = each.key
  name         = substr(trim(replace(each.key, "/[^\\w\\s+=,.@-]+/", "-"), "- "), 0, 256)

  dynamic "scope" {
    for_each = each.value
    content {
      scope_name        = scope.value
      scope_description = "Scope ${scope.value}"
    }
  }
}

resource "aws_cognito_user_pool_client" "app_client" {
  for_each = local.app_clients

  name                                 = coalesce(each.value.name, each.key)
  user_pool_id                         = local.user_pool_id
  generate_secret                      = each.value.generate_secret ? true : null # null: an imported client reads back none
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = each.value.oauth_flows
  allowed_oauth_scopes                 = each.value.oauth_scopes
  callback_urls                        = length(each.value.callback_urls) > 0 ? each.value.callback_urls : null
  logout_urls                          = length(local.client_logout_urls[each.key]) > 0 ? local.client_logout_urls[each.key] : null
  default_redirect_uri                 = each.value.default_redirect_uri
  # A client credentials client signs nobody in: it names no identity provider.
  supported_identity_providers = length(each.value.callback_urls) > 0 ? [
    for name in local.client_providers[each.key] : name == "COGNITO" ? name : local.provider_resources[name]
  ] : null

  # null: not managed (a created client gets Cognito's default, an adopted one keeps its own).
  access_token_validity         = each.value.access_token_validity
  id_token_validity             = each.value.id_token_validity
  refresh_token_validity        = each.value.refresh_token_validity
  explicit_auth_flows           = each.value.explicit_auth_flows
  prevent_user_existence_errors = each.value.prevent_user_existence_errors
  enable_token_revocation       = each.value.enable_token_revocation
  auth_session_validity         = each.value.auth_session_validity
  read_attributes               = each.value.read_attributes
  write_attributes              = each.value.write_attributes

  # Written only when the config names a unit: without the block the numbers are in Cognito's default units,
  # which are also what an unnamed unit in the block is (config/fields.py COGNITO_TOKEN_UNITS).
  dynamic "token_validity_units" {
    for_each = anytrue([for u in [each.value.access_token_unit, each.value.id_token_unit, each.value.refresh_token_unit] : u != null]) ? [true] : []
    content {
      access_token  = coalesce(each.value.access_token_unit, "hours")
      id_token      = coalesce(each.value.id_token_unit, "hours")
      refresh_token = coalesce(each.value.refresh_token_unit, "days")
    }
  }

  # The scopes of the resource servers must exist first (Cognito refuses an unknown scope).
  depends_on = [aws_cognito_resource_server.resource_server]

  lifecycle {
    # The AWS provider reads no generate_secret back after an import: an adopted client with a secret would be
    # replaced (a new id and secret for the app). Cognito cannot add or remove a secret anyway; the doctor names
    # a config that differs from Cognito.
    ignore_changes = [generate_secret]
    precondition {
      condition     = each.value.default_redirect_uri == null || contains(each.value.callback_urls, coalesce(each.value.default_redirect_uri, "-"))
      error_message = "app_clients.${each.key}.default_redirect_uri must be one of its callback_urls (Cognito refuses another)."
    }
  }
}

# 0.3 had one client, not keyed: it is the client "default" now (its id and secret stay).
moved {
  from = aws_cognito_user_pool_client.app_client
  to   = aws_cognito_user_pool_client.app_client["default"]
}

locals {
  # The first client with a login: the one the single-client outputs describe, as they described 0.3's client.
  first_login_client = try([for key, c in local.app_clients : key if length(c.callback_urls) > 0][0], keys(local.app_clients)[0])
  app_client_id      = aws_cognito_user_pool_client.app_client[local.first_login_client].id

  client_hosted_login_urls = {
    for key, c in local.app_clients : key => length(c.callback_urls) == 0 ? {} : {
      for name in local.client_providers[key] : name => join("", [
        "https://${local.cognito_host}/oauth2/authorize?identity_provider=${replace(urlencode(name), "+", "%20")}",
        "&response_type=code&client_id=${aws_cognito_user_pool_client.app_client[key].id}",
        "&redirect_uri=${replace(urlencode(c.callback_urls[0]), "+", "%20")}",
        "&scope=${replace(urlencode(join(" ", c.oauth_scopes)), "+", "%20")}",
      ]) if name != "COGNITO"
    }
  }
  hosted_login_urls = local.client_hosted_login_urls[local.first_login_client]
  # Through the picker, the eID chosen per login: Cognito adds the app's login_hint to its request to Idura.
  login_hint_urls = !contains(keys(local.hosted_login_urls), var.identity_provider.name) ? {} : {
    for acr in var.identity_provider.login_hint_eids : acr => "${local.hosted_login_urls[var.identity_provider.name]}&login_hint=${replace(urlencode("acr_values:${acr}"), "+", "%20")}"
  }

  # The app_clients output (the CDKTF stack builds the same, stacks/stack.py).
  app_clients_output = {
    for key, c in local.app_clients : key => {
      id                 = aws_cognito_user_pool_client.app_client[key].id
      name               = coalesce(c.name, key)
      identity_providers = local.client_providers[key]
      hosted_login_urls  = local.client_hosted_login_urls[key]
      sign_out_url       = c.sign_out == null ? null : "https://${local.cognito_host}/logout?client_id=${aws_cognito_user_pool_client.app_client[key].id}&logout_uri=${replace(urlencode(local.idura_logout_urls[key]), "+", "%20")}"
    }
  }
  app_client_secrets = { for key, c in local.app_clients : key => sensitive(aws_cognito_user_pool_client.app_client[key].client_secret) if c.generate_secret }
}
