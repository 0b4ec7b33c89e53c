# One person, one Cognito user (docs/linking.md): a created pool with more than one Idura identity provider (the
# picker and a pinned eID button) runs functions/link_federated_user/handler.py as its pre sign-up trigger. The
# CDKTF stacks create the same resources (idura_cognito/stacks/linking.py).
locals {
  link_federated_users = (
    var.user_pool.existing_id == null && var.user_pool.link_federated_users
    && var.user_pool.pre_sign_up_lambda_arn == null && length(local.idp_names) > 1
  )
  # Built while applying, in the root's data folder (never checked in, the rendered folder stays text only).
  link_package = "${path.root}/.terraform/idura-cognito/link_federated_user.zip"
}

# The function's ZIP, built by the module's standard-library packager (Python 3.9+ on the machine that applies,
# as for the external program) only when the function's code is created or changes: a plan writes nothing, and
# an apply on another machine than its plan's (a CI job of its own) builds what it uploads. The package is the
# same bytes everywhere, so its hash (functions.tf) is known when planning.
resource "terraform_data" "link_federated_user_package" {
  count = local.link_federated_users ? 1 : 0

  triggers_replace = { package = local.link_package_base64sha256 }

  provisioner "local-exec" {
    command = "python3 -I -B \"${path.module}/functions/package.py\" link_federated_user \"${local.link_package}\""
  }

  lifecycle {
    # Nothing of the stack is created before Cognito can get a client secret (the module's gate).
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
    precondition {
      condition     = filesha256("${path.module}/functions/link_federated_user/handler.py") == local.link_source_sha256
      error_message = "functions/link_federated_user/handler.py is not the handler functions.tf was generated from: run `make generate` (or reinstall idura-cognito and render again)."
    }
  }
}

resource "aws_iam_role" "link_federated_user_role" {
  count = local.link_federated_users ? 1 : 0

  name = local.link_function_name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = local.tags

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

# Least privilege: the two Cognito calls on this pool only (no ListUsers: the names are deterministic), and its
# own log group.
resource "aws_iam_role_policy" "link_federated_user_policy" {
  count = local.link_federated_users ? 1 : 0

  name = local.link_function_name
  role = aws_iam_role.link_federated_user_role[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["cognito-idp:AdminGetUser", "cognito-idp:AdminLinkProviderForUser"]
        Resource = aws_cognito_user_pool.user_pool[0].arn
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.link_federated_user_logs[0].arn}:*"
      },
    ]
  })

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

# Created here, not by Lambda on the first log line, so that destroy removes it too. Its lines name Cognito's
# pseudonymous user names and AWS error codes, never a person's attributes.
resource "aws_cloudwatch_log_group" "link_federated_user_logs" {
  count = local.link_federated_users ? 1 : 0

  name              = "/aws/lambda/${local.link_function_name}"
  retention_in_days = 30
  tags              = local.tags

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

resource "aws_lambda_function" "link_federated_user" {
  count = local.link_federated_users ? 1 : 0

  function_name    = local.link_function_name
  description      = "idura-cognito: links a second federated identity of one person to the Cognito user they are"
  role             = aws_iam_role.link_federated_user_role[0].arn
  runtime          = "python3.12"
  handler          = "handler.handler"
  filename         = local.link_package
  source_code_hash = local.link_package_base64sha256
  # Cognito waits 5 seconds for a trigger.
  timeout     = 5
  memory_size = 128
  tags        = local.tags

  environment {
    variables = { IDURA_PROVIDER_NAMES = jsonencode(local.idp_names) }
  }

  depends_on = [aws_cloudwatch_log_group.link_federated_user_logs, terraform_data.link_federated_user_package]

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}

# Cognito invokes the function for this pool only.
resource "aws_lambda_permission" "link_federated_user_invoke" {
  count = local.link_federated_users ? 1 : 0

  statement_id   = "cognito-pre-sign-up"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.link_federated_user[0].function_name
  principal      = "cognito-idp.amazonaws.com"
  source_arn     = aws_cognito_user_pool.user_pool[0].arn
  source_account = split(":", aws_cognito_user_pool.user_pool[0].arn)[4]

  lifecycle {
    precondition {
      condition     = local.secret_ready
      error_message = local.secret_gate_message
    }
  }
}
