"""CDKTF constructs and stacks. Importing this package loads the AWS provider bindings (slow)."""
