"""A team's own CDKTF app with idura-cognito in it: the team's stack stores its files in S3 and needs the user
pool's id and issuer; the idura-cognito stack provides them as properties (a cross-stack reference: CDKTF adds an
output there and a remote state read here).

    cdktf synth                  # or: python main.py
    idura-cognito deploy --stack dev --stack-dir cdktf.out/stacks/cognito-dev   # first deploy, Idura changes
    cdktf deploy '*'             # then: both stacks; never changes Idura
"""

from cdktf import App, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct

from idura_cognito.stacks import IduraCognitoStack, load_config


class TeamFilesStack(TerraformStack):
    """The team's own stack: a bucket tagged with the user pool it serves."""

    def __init__(self, scope: Construct, id: str, *, cognito: IduraCognitoStack) -> None:
        super().__init__(scope, id)
        # Against the local servers, `. .idura-local/env.sh` exports AWS_ENDPOINT_URL: the provider reads it, as
        # every AWS SDK does, so the stack itself names no endpoint.
        AwsProvider(self, "aws", region=cognito.config.aws.region)
        bucket = S3Bucket(
            self,
            "files",
            bucket_prefix="team-files-",
            force_destroy=True,
            tags={"user_pool_id": cognito.user_pool_id},
        )
        TerraformOutput(self, "bucket", value=bucket.bucket)
        TerraformOutput(self, "issuer", value=cognito.issuer)
        TerraformOutput(self, "login_url", value=cognito.hosted_login_urls[cognito.config.identity_provider.name])


app = App()
cognito = IduraCognitoStack(app, "cognito-dev", load_config("idura-cognito.toml").stack("dev"))
TeamFilesStack(app, "team-files-dev", cognito=cognito)
app.synth()
