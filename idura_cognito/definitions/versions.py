"""Terraform and provider versions, defined once for the module, the rendered root and the CDKTF stacks."""

from __future__ import annotations

#: optional() object attributes with defaults (1.3), check blocks and strcontains() (1.5).
TERRAFORM = ">= 1.5.0"
#: managed_login_version on aws_cognito_user_pool_domain exists from 5.95; 6.x works unchanged.
AWS_PROVIDER = ">= 5.95, < 7.0"
#: The external data source's protocol is unchanged since 2.x.
EXTERNAL_PROVIDER = ">= 2.3, < 3.0"
#: What the CDKTF bindings pin (cdktf-cdktf-provider-aws 20.1.0, cdktf-cdktf-provider-external 11.0.1): the
#: synthesized stacks require exactly these, a test checks that the bindings agree.
AWS_PROVIDER_PINNED = "5.100.0"
EXTERNAL_PROVIDER_PINNED = "2.3.5"
