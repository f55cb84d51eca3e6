#!/usr/bin/env bash
# Re-pins the FROM line of each images/<name>/Dockerfile to the digest its tag points to NOW.
# Run it when bumping a base (edit the tag first), review the diff, commit; the image pipeline then rebuilds.
# Needs registry access and `crane` (go-containerregistry) or `skopeo`. Resolves the multi-platform index
# digest, so the same pin works on amd64 and arm64 nodes.
#   images/pin-base-images.sh                      # all Dockerfiles under images/
#   images/pin-base-images.sh images/kong/Dockerfile
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

resolve_digest() { # resolve_digest <image:tag> -> sha256:...
  if command -v crane >/dev/null; then crane digest "$1"
  elif command -v skopeo >/dev/null; then skopeo inspect --raw "docker://$1" | sha256sum | awk '{print "sha256:" $1}'
  else echo "pin-base-images: install crane or skopeo" >&2; exit 1
  fi
}

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then mapfile -t files < <(ls images/*/Dockerfile); fi
for file in "${files[@]}"; do
  from_line="$(grep -m1 -E '^FROM ' "$file")"
  ref="$(awk '{print $2}' <<<"$from_line")"
  image_tag="${ref%%@*}"
  digest="$(resolve_digest "$image_tag")"
  if [[ ! "$digest" =~ ^sha256:[a-f0-9]{64}$ ]]; then echo "pin-base-images: bad digest for $image_tag: $digest" >&2; exit 1; fi
  sed -i "0,/^FROM ${ref//\//\\/}/s//FROM ${image_tag//\//\\/}@${digest}/" "$file"
  echo "$file: $image_tag@$digest"
done
