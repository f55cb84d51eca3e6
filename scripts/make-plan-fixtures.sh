#!/usr/bin/env bash
# Produces the `terraform show -json` fixtures under test/fixtures/plans/ with the REAL Terraform CLI
# and the real AWS provider, against moto (a local AWS emulator on 127.0.0.1), so the plan-summary
# tests read exactly what `terraform plan` emits in CI, not a hand-written approximation.
#
# Needs: terraform >= 1.5, the hashicorp/aws provider in a filesystem mirror (TF_PLUGIN_MIRROR,
# default /opt/tf-plugins), moto_server (pip install 'moto[server]'), python3.
# Usage: scripts/make-plan-fixtures.sh [output-dir]   (default: test/fixtures/plans)
#
# Stages (one fixture each):
#   create.json   empty state -> everything created (plus a deferred data-source read)
#   no-op.json    after apply, same inputs -> nothing to do
#   update.json   tags and a sensitive SSM value changed in place
#   replace.json  VPC CIDR and state-bucket name changed (force-new) -> replacements, one create-before-destroy
#   delete.json   optional resources (KMS key, artifacts bucket) removed
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$(realpath -m "${1:-$repo_root/test/fixtures/plans}")"
plugin_mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

work_dir="$(mktemp -d)"
moto_pid=""
cleanup() {
  if [[ -n "$moto_pid" ]]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$work_dir"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
endpoint="http://127.0.0.1:${port}"

moto_server -H 127.0.0.1 -p "$port" >"$work_dir/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 50); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('${endpoint}/moto-api/')" 2>/dev/null; then break; fi
  sleep 0.2
done

# Only the AWS provider is needed, and it must come from the local mirror: no registry access.
cat >"$work_dir/terraform.rc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "${plugin_mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work_dir/terraform.rc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
# Fake credentials for the emulator; never real ones.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1

tf_dir="$work_dir/tf"
mkdir -p "$tf_dir"
cat >"$tf_dir/main.tf.json" <<EOF
{
  "terraform": { "required_providers": { "aws": { "source": "hashicorp/aws", "version": "~> 5.0" } } },
  "provider": {
    "aws": {
      "region": "us-east-1",
      "access_key": "testing",
      "secret_key": "testing",
      "skip_credentials_validation": true,
      "skip_requesting_account_id": true,
      "skip_metadata_api_check": true,
      "s3_use_path_style": true,
      "endpoints": { "s3": "${endpoint}", "ec2": "${endpoint}", "kms": "${endpoint}", "ssm": "${endpoint}", "sts": "${endpoint}" }
    }
  },
  "variable": {
    "vpc_cidr": { "type": "string" },
    "state_bucket_name": { "type": "string" },
    "environment_tag": { "type": "string" },
    "admin_token": { "type": "string", "sensitive": true },
    "keep_optional": { "type": "bool" }
  },
  "resource": {
    "aws_vpc": { "main": { "cidr_block": "\${var.vpc_cidr}", "tags": { "Name": "kong-fixture", "env": "\${var.environment_tag}" } } },
    "aws_security_group": {
      "gateway": {
        "name_prefix": "kong-gateway-",
        "description": "Kong gateway proxy",
        "vpc_id": "\${aws_vpc.main.id}",
        "lifecycle": { "create_before_destroy": true }
      }
    },
    "aws_s3_bucket": {
      "state": { "bucket": "\${var.state_bucket_name}", "tags": { "env": "\${var.environment_tag}" } },
      "artifacts": { "count": "\${var.keep_optional ? 1 : 0}", "bucket": "kong-platform-artifacts-fixture" }
    },
    "aws_kms_key": {
      "audit": { "count": "\${var.keep_optional ? 1 : 0}", "description": "kong audit log key", "deletion_window_in_days": 7 }
    },
    "aws_ssm_parameter": {
      "admin_token": { "name": "/kong/fixture/admin-token", "type": "SecureString", "value": "\${var.admin_token}" }
    }
  },
  "data": { "aws_vpc": { "selected": { "id": "\${aws_vpc.main.id}" } } },
  "output": {
    "vpc_id": { "value": "\${aws_vpc.main.id}" },
    "admin_token": { "value": "\${aws_ssm_parameter.admin_token.value}", "sensitive": true }
  }
}
EOF

# The sensitive values are fixed, recognisable strings: the tests assert they never reach the Markdown.
base_vars=(-var "vpc_cidr=10.42.0.0/16" -var "state_bucket_name=kong-platform-tfstate-fixture"
  -var "environment_tag=dev" -var "admin_token=fixture-admin-token-v1" -var "keep_optional=true")

plan_json() { # plan_json <fixture-name> <terraform plan args...>
  local name="$1"; shift
  terraform -chdir="$tf_dir" plan -no-color -out=tfplan "$@" >"$work_dir/$name.plan.log"
  terraform -chdir="$tf_dir" show -json tfplan | python3 -m json.tool --indent 1 >"$out_dir/$name.json"
  echo "wrote $out_dir/$name.json"
}

mkdir -p "$out_dir"
terraform -chdir="$tf_dir" init -no-color -input=false >"$work_dir/init.log"

plan_json create "${base_vars[@]}"
terraform -chdir="$tf_dir" apply -no-color -auto-approve tfplan >"$work_dir/apply.log"
plan_json no-op "${base_vars[@]}"
plan_json update -var "vpc_cidr=10.42.0.0/16" -var "state_bucket_name=kong-platform-tfstate-fixture" \
  -var "environment_tag=staging" -var "admin_token=fixture-admin-token-v2" -var "keep_optional=true"
plan_json replace -var "vpc_cidr=10.43.0.0/16" -var "state_bucket_name=kong-platform-tfstate-fixture-2" \
  -var "environment_tag=dev" -var "admin_token=fixture-admin-token-v1" -var "keep_optional=true"
plan_json delete -var "vpc_cidr=10.42.0.0/16" -var "state_bucket_name=kong-platform-tfstate-fixture" \
  -var "environment_tag=dev" -var "admin_token=fixture-admin-token-v1" -var "keep_optional=false"

terraform -chdir="$tf_dir" version -json | python3 -c 'import json,sys; v=json.load(sys.stdin); print("terraform", v["terraform_version"], v.get("provider_selections", {}))' \
  >"$out_dir/GENERATED_BY.txt"
echo "generated by scripts/make-plan-fixtures.sh against moto $(python3 -c 'import moto; print(moto.__version__)')" >>"$out_dir/GENERATED_BY.txt"
