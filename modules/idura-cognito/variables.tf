variable "stack_name" {
  description = "Name of the environment, used in messages (e.g. the `idura-cognito secret put --stack` hint)."
  type        = string
  default     = "<env>"
}

variable "aws_region" {
  description = "AWS region of the user pool. Used for the Cognito domain host and the token issuer."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", var.aws_region))
    error_message = "aws_region must be an AWS region name like eu-north-1."
  }
}

variable "idura_domain" {
  description = "Idura domain, e.g. acme-corp.idura.broker (no scheme or path). localhost:PORT for a local emulator."
  type        = string

  validation {
    condition     = can(regex("^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?)$", var.idura_domain))
    error_message = "idura_domain must be a lowercase DNS name like acme-corp.idura.broker (no scheme, path or port), or localhost:PORT."
  }
}

variable "client_id" {
  description = "Client id (realm) of the Idura application, e.g. urn:idura:acme:cognito:prod."
  type        = string

  validation {
    condition     = length(var.client_id) >= 1 && length(var.client_id) <= 255 && can(regex("^[[:graph:]]+$", var.client_id))
    error_message = "client_id must be 1-255 printable characters without spaces."
  }
}

variable "application_name" {
  description = "Name of the application at Idura (managed mode creates it with this name)."
  type        = string
  default     = "AWS Cognito"

  validation {
    condition     = length(var.application_name) >= 1 && length(var.application_name) <= 100
    error_message = "application_name must be 1-100 characters."
  }
}

variable "secret_source" {
  description = "How the client secret reaches the escrow: \"hand-registered\" (`idura-cognito secret put`) or \"managed\" (the external program creates the application and issues the secret during plan)."
  type        = string
  default     = "hand-registered"

  validation {
    condition     = contains(["hand-registered", "managed"], var.secret_source)
    error_message = "secret_source must be \"hand-registered\" or \"managed\"."
  }
}

variable "client_secret" {
  description = "Optional: the client secret from your own vault. Overrides the escrow for the identity providers (the escrow is then not required)."
  type        = string
  default     = null
  sensitive   = true
}

variable "external_program" {
  description = "Managed mode: the command that runs the idura_application program. Default: python3 with the zipapp shipped in this module (bin/idura_application.pyz)."
  type        = list(string)
  default     = null
}

variable "user_pool" {
  description = "The user pool: `name` to create one (requiring no attribute), or `existing_id` to use one. `deletion_protection` (default false) applies to a created pool."
  type = object({
    name                = optional(string)
    existing_id         = optional(string)
    deletion_protection = optional(bool, false)
  })

  validation {
    condition     = (var.user_pool.name == null) != (var.user_pool.existing_id == null)
    error_message = "user_pool: set exactly one of name (create a pool) and existing_id (use a pool)."
  }

  validation {
    condition     = var.user_pool.existing_id == null || can(regex("^[\\w-]+_[0-9a-zA-Z]+$", var.user_pool.existing_id))
    error_message = "user_pool.existing_id must be a Cognito user pool id like eu-north-1_AbCdEf123."
  }
}

variable "domain" {
  description = "The Cognito domain: `prefix`, or `custom` with `certificate_arn` (ACM, us-east-1), or `existing` (a prefix or host already on the pool). `managed_login_version`: 1 classic hosted UI (default), 2 managed login."
  type = object({
    prefix                = optional(string)
    custom                = optional(string)
    certificate_arn       = optional(string)
    existing              = optional(string)
    managed_login_version = optional(number, 1)
  })

  validation {
    condition     = length([for v in [var.domain.prefix, var.domain.custom, var.domain.existing] : v if v != null]) == 1
    error_message = "domain: set exactly one of prefix, custom (with certificate_arn) and existing."
  }

  validation {
    condition     = var.domain.prefix == null || (can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", var.domain.prefix)) && !can(regex("aws|amazon|cognito", var.domain.prefix)))
    error_message = "domain.prefix must be 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, without aws, amazon or cognito."
  }

  validation {
    condition     = (var.domain.custom == null) == (var.domain.certificate_arn == null)
    error_message = "domain: custom and certificate_arn go together."
  }

  validation {
    condition     = var.domain.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]{1,64}$", var.domain.certificate_arn))
    error_message = "domain.certificate_arn must be an ACM certificate ARN in us-east-1."
  }

  validation {
    condition     = contains([1, 2], var.domain.managed_login_version)
    error_message = "domain.managed_login_version must be 1 or 2."
  }
}

variable "identity_provider" {
  description = "The Idura identity provider: `name` (default \"Idura\"), `scopes` (default [\"openid\"]), `attributes`: user pool attribute => Idura claim, added to username => sub."
  type = object({
    name       = optional(string, "Idura")
    scopes     = optional(list(string), ["openid"])
    attributes = optional(map(string), {})
  })
  default = {}

  validation {
    condition     = length(var.identity_provider.name) <= 32 && can(regex("^[^_\\s][^\\s][^_\\s]+$", var.identity_provider.name))
    error_message = "identity_provider.name must be 3-32 characters without spaces, not starting or ending with an underscore."
  }

  validation {
    condition     = contains(var.identity_provider.scopes, "openid")
    error_message = "identity_provider.scopes must include openid."
  }

  validation {
    condition     = alltrue([for k in keys(var.identity_provider.attributes) : can(regex("^(custom:[A-Za-z0-9_]{1,20}|address|birthdate|email|email_verified|family_name|gender|given_name|locale|middle_name|name|nickname|phone_number|phone_number_verified|picture|preferred_username|profile|updated_at|website|zoneinfo|username)$", k))])
    error_message = "identity_provider.attributes keys must be standard user pool attributes or custom:<name>."
  }
}

variable "pinned_eids" {
  description = "One extra identity provider per entry that starts that eID directly: `name` (Cognito IdP name) and `acr` (urn:grn:authn:...)."
  type = list(object({
    name = string
    acr  = string
  }))
  default = []

  validation {
    condition     = alltrue([for e in var.pinned_eids : can(regex("^urn:grn:authn:[a-z0-9][a-z0-9._-]*(:[a-z0-9][a-z0-9._-]*)*$", e.acr))])
    error_message = "pinned_eids[*].acr must be an Idura acr value of the urn:grn:authn:... form."
  }

  validation {
    condition     = alltrue([for e in var.pinned_eids : length(e.name) <= 32 && can(regex("^[^_\\s][^\\s][^_\\s]+$", e.name))])
    error_message = "pinned_eids[*].name must be 3-32 characters without spaces, not starting or ending with an underscore."
  }

  validation {
    condition     = length(distinct([for e in var.pinned_eids : lower(e.name)])) == length(var.pinned_eids)
    error_message = "pinned_eids names must be unique."
  }
}

variable "app_client" {
  description = "The app client for the code flow: `callback_urls` (required; https, http only for localhost), `logout_urls` (default []), `oauth_scopes` (default [\"openid\"]), `name` (default \"idura-cognito\")."
  type = object({
    name          = optional(string, "idura-cognito")
    callback_urls = list(string)
    logout_urls   = optional(list(string), [])
    oauth_scopes  = optional(list(string), ["openid"])
  })

  validation {
    condition     = length(var.app_client.callback_urls) >= 1 && length(var.app_client.callback_urls) <= 100
    error_message = "app_client.callback_urls needs 1-100 URLs."
  }

  validation {
    condition     = alltrue([for u in concat(var.app_client.callback_urls, var.app_client.logout_urls) : can(regex("^(https://[^\\s#@]+|http://(localhost|127\\.0\\.0\\.1)([:/][^\\s#@]*)?)$", u))])
    error_message = "app_client URLs must be https:// (http:// only for localhost), without fragments or credentials."
  }

  validation {
    condition     = contains(var.app_client.oauth_scopes, "openid")
    error_message = "app_client.oauth_scopes must include openid."
  }
}
