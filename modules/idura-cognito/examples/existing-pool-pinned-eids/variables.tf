variable "user_pool_id" {
  description = "Id of the existing user pool (it must not require email)."
  type        = string
  default     = "eu-west-1_AbCdEf123"
}
