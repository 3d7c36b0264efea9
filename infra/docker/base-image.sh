#!/usr/bin/env bash
# The Dockerfile's BASE_IMAGE (debian:<suite>-slim) made from Debian packages
# with mmdebstrap, under the name the Dockerfile pulls, for hosts that cannot
# pull registry images. It is made like Docker's own debian slim images: the
# minbase variant, merged /usr, no manuals, docs (but copyrights), locales or
# translations, and apt set to keep no downloaded .debs.
#   bash infra/docker/base-image.sh [debian:<suite>-slim]     (root; mmdebstrap, podman)
# DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
image="${1:-$(sed -n 's/^ARG BASE_IMAGE=//p' "$repo/Dockerfile")}"
[[ "$image" =~ ^debian:([a-z]+)-slim$ ]] || { echo "base-image.sh makes debian:<suite>-slim images, not $image" >&2; exit 2; }
suite="${BASH_REMATCH[1]}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Docker's debian images set these in /etc/apt/apt.conf.d: builds that `rm -rf /var/lib/apt/lists/*` then leave nothing behind.
cat > "$tmp/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
APT::AutoRemove::SuggestsImportant "false";
CONF

echo "[base] mmdebstrap $suite (minbase) from $mirror"
mmdebstrap --variant=minbase --mode=root --format=tar \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --aptopt='Acquire::Languages "none"' \
  --customize-hook="upload $tmp/docker-clean /etc/apt/apt.conf.d/docker-clean" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log "$1"/var/log/apt/*' \
  "$suite" "$tmp/rootfs.tar" "$mirror" > "$tmp/mmdebstrap.log" 2>&1 || { tail -40 "$tmp/mmdebstrap.log" >&2; exit 1; }
podman import --quiet --change 'CMD ["bash"]' "$tmp/rootfs.tar" "docker.io/library/$image" >/dev/null
echo "[base] $image: $(podman image inspect "$image" --format '{{.Size}}') bytes"
