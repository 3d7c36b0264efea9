#!/usr/bin/env bash
# Builds the Dockerfile with podman, no daemon and no registry: makes the base
# image from Debian packages first when it is not there (base-image.sh), then
# `podman build --isolation=chroot`. Prints one line of figures at the end:
#   [image] kokoro-edge:dev built in 93 s; 468173683 bytes (468 MB); base made in 0 s
#   bash infra/docker/build-image.sh [TAG]      (root; podman, mmdebstrap)
# The build host's CA bundle is lent to the build (secret ca_bundle, never
# stored in the image) for networks whose HTTPS goes through an inspecting proxy.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
tag="${1:-kokoro-edge:dev}"
base="$(sed -n 's/^ARG BASE_IMAGE=//p' "$repo/Dockerfile")"
cd "$repo"

t0=$SECONDS
podman image exists "docker.io/library/$base" || bash infra/docker/base-image.sh "$base"
base_s=$((SECONDS - t0))

secret=()
ca="${BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
[ -f "$ca" ] && secret=(--secret "id=ca_bundle,src=$ca")

t1=$SECONDS
podman build --isolation=chroot --pull=never "${secret[@]}" -t "$tag" . >&2
build_s=$((SECONDS - t1))
bytes="$(podman image inspect "$tag" --format '{{.Size}}')"
echo "[image] $tag built in $build_s s; $bytes bytes ($((bytes / 1000000)) MB); base made in $base_s s"
