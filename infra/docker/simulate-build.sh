#!/usr/bin/env bash
# Docker cannot run on the development machine: this follows the Dockerfile's
# steps in a temporary folder instead (production-only `npm ci`, other
# platforms' onnxruntime binaries removed, sources without tests, no model
# files), then starts the image's default command there and asks it for
# speech. It proves the image's /app tree runs without dev dependencies.
#   bash infra/docker/simulate-build.sh        (needs the npm registry, ../shared)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${SHARED_DIR:-$repo/../shared}"
bun="$repo/node_modules/.bin/bun"
app="$(mktemp -d /tmp/kokoro-edge-image-XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$app"; }
trap cleanup EXIT

echo "[sim] deps stage -> $app"
cd "$repo"
for f in package.json package-lock.json $(grep -E '^COPY (proto|packages/[^ ]+|services/[^ ]+)/package.json ' Dockerfile | awk '{print $2}'); do
  mkdir -p "$app/$(dirname "$f")"; cp "$f" "$app/$f"
done
(cd "$app" && ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --omit=dev --no-audit --no-fund --loglevel=error)
ort="$app/node_modules/onnxruntime-node/bin/napi-v6"
find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +
find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name x64 -exec rm -rf {} +
test -f "$ort/linux/x64/libonnxruntime.so.1"

echo "[sim] runtime stage: sources as .dockerignore leaves them"
tar --exclude=node_modules --exclude=test --exclude='*.test.ts' --exclude='*.onnx' --exclude='*.bin' -cf - proto packages services | tar -xf - -C "$app"
cp package.json bunfig.toml "$app/"
echo "[sim] node_modules: $(du -sh "$app/node_modules" | cut -f1), whole /app: $(du -sh "$app" | cut -f1)"

cd "$app"
"$bun" -e "const ort = require('onnxruntime-node'); if (typeof ort.InferenceSession?.create !== 'function') process.exit(1)"
port=$(( 20000 + RANDOM % 20000 ))
PORT=$port HOST=127.0.0.1 MIRROR_PORT=0 DATA_DIR="$app/data" NODE_ENV=production LOG_LEVEL=warn \
  KOKORO_MODEL=fixture VOICES_DIR="$shared/kokoro/voices" KOKORO_CONFIG="$shared/kokoro/config.json" \
  MIRROR_UPSTREAMS=file:///nonexistent-upstream "$bun" services/all-in-one.ts >"$app/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$app/run.log"; exit 1; }
  sleep 0.5
done
bytes=$(curl -sf "http://127.0.0.1:$port/v1/audio/speech" -H 'content-type: application/json' \
  -d '{"model":"kokoro","input":"Hello from the image.","voice":"af_heart","response_format":"pcm"}' | wc -c)
[ "$bytes" -gt 1000 ] || { echo "[sim] no audio"; cat "$app/run.log"; exit 1; }
echo "[sim] ok: the image tree serves speech ($bytes bytes of PCM)"
