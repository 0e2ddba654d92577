/** Shell helpers shared by the containers of a host. */
export class HostScripts {
  /**
   * Pulls an image unless it is present; retries with backoff (first boot
   * may race the network); a present image is never re-pulled, so a reboot
   * does not change what runs.
   */
  public static pullImage(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: make sure an image is present.
set -eu
image="$1"
if docker image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi
attempts="\${CDKTF_ISOLATION_PULL_ATTEMPTS:-6}"
delay=2
i=1
while :; do
  if docker pull --quiet "$image"; then
    exit 0
  fi
  if [ "$i" -ge "$attempts" ]; then
    echo "cdktf-isolation: could not pull $image after $attempts attempts" >&2
    exit 1
  fi
  sleep "$delay"
  delay=$((delay * 2))
  i=$((i + 1))
done
`;
  }

  /**
   * Appends `NAME=value` of one SSM parameter (decrypted) to an env file.
   * Uses the AWS CLI where the host has it (Amazon Linux 2023), else
   * Python's boto3 (Debian, Ubuntu); the region comes from IMDSv2.
   */
  public static ssmEnv(): string {
    return `#!/bin/sh
# Written by cdktf-isolation: append NAME=<value of SSM parameter> to FILE.
set -eu
file="$1"
name="$2"
parameter="$3"
imds=http://169.254.169.254/latest
token=$(curl -fsS -X PUT "$imds/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
region=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/placement/region")
if command -v aws >/dev/null 2>&1; then
  value=$(aws ssm get-parameter --region "$region" --with-decryption --name "$parameter" --query Parameter.Value --output text)
else
  value=$(python3 -c 'import sys, boto3; sys.stdout.write(boto3.client("ssm", region_name=sys.argv[1]).get_parameter(Name=sys.argv[2], WithDecryption=True)["Parameter"]["Value"])' "$region" "$parameter")
fi
case "$value" in
  *"
"*)
    echo "cdktf-isolation: SSM parameter $parameter holds a line break, which docker --env-file cannot pass" >&2
    exit 1
    ;;
esac
printf '%s=%s\\n' "$name" "$value" >> "$file"
`;
  }

  private constructor() {}
}
