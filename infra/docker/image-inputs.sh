#!/usr/bin/env bash
# What decides the image, as one content hash: the Dockerfile, .dockerignore,
# the scripts that make the base image and build and run the image, bunfig.toml
# and the npm manifests and lockfile (every workspace's package.json). Sources
# are copied in as they are; that they import only production dependencies is
# checked on every run (tests/infra/dockerfile.test.ts).
#
# infra/docker/image-inputs.sha256 records this hash as of the last build that
# was built, run and heard (tests/infra/image.test.ts). CI builds the image
# when the two differ, which a clean clone can tell with no history at all.
#   bash infra/docker/image-inputs.sh            the hash of the inputs now
#   bash infra/docker/image-inputs.sh --changed  exit 0 when it differs from the recorded one, 1 when not
#   bash infra/docker/image-inputs.sh --record   record the hash now (after a verified build)
set -euo pipefail
cd "$(dirname "$0")/../.."
record=infra/docker/image-inputs.sha256
files=(Dockerfile .dockerignore bunfig.toml package.json package-lock.json infra/docker/base-image.sh infra/docker/build-image.sh infra/docker/run-image.sh)
files+=($(ls proto/package.json packages/*/package.json services/*/package.json))
hash="$(for f in $(printf '%s\n' "${files[@]}" | LC_ALL=C sort); do printf '%s  %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"; done | sha256sum | cut -d' ' -f1)"
case "${1:-}" in
  "") echo "$hash" ;;
  --changed) [ "$hash" != "$(grep -v '^#' "$record" 2>/dev/null | head -n1)" ] ;;
  --record) printf '# bash infra/docker/image-inputs.sh: the image inputs as of the last verified build (tests/infra/image.test.ts)\n%s\n' "$hash" >"$record" ;;
  *) echo "usage: image-inputs.sh [--changed|--record]" >&2; exit 2 ;;
esac
