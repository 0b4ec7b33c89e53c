# The ranges of the module (../../versions.tf). Hand-registered: the AWS provider only, no hashicorp/external.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.95, < 7.0"
    }
  }
}
