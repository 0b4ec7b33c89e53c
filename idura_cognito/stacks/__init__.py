"""The CDKTF stack of one environment. Importing this package loads the AWS provider bindings (slow)."""
