# syntax=docker/dockerfile:1.7
#
# One image for every kokoro-edge service. The container runs Bun; the
# Kubernetes manifests (infra/k8s) pick the service with `args`:
#   services/gateway/src/main.ts        HTTP :8080  (/v1/..., /healthz, /readyz, /metrics)
#   services/g2p/src/main.ts            health :8082
#   services/synth/src/main.ts          health :8083
#   services/model-mirror/src/main.ts   HTTP :8081  (HF-compatible CDN)
#   services/all-in-one.ts              everything in one process (default)
#
# Model files are NOT in the image: synth and g2p ask the model mirror over
# NATS for the verified files and download them from its HTTP routes, and the
# mirror keeps its store on a PersistentVolumeClaim.
#
# Every stage starts from one Debian image (BASE_IMAGE) and takes the rest
# from Debian's packages and the npm registry, so it also builds where no
# registry image can be pulled: infra/docker/build-image.sh makes the base
# from Debian packages (mmdebstrap) under the same name, then builds.
#
# Build:  docker build -t kokoro-edge:dev .     (or: bash infra/docker/build-image.sh)
ARG BASE_IMAGE=debian:bookworm-slim
ARG BUN_VERSION=1.4.5

# --- 0. Node.js and npm from Debian: only to run npm, the services run on Bun
FROM ${BASE_IMAGE} AS node
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# --- 1. production node_modules (no dev tools, native onnxruntime for linux/x64 only)
FROM node AS deps
WORKDIR /app
# onnxruntime-node's install script would download CUDA/extra providers: the CPU
# library it needs is already inside the npm package (bin/napi-v6/linux/x64).
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    ONNXRUNTIME_NODE_INSTALL_CUDA=skip \
    npm_config_audit=false \
    npm_config_fund=false
COPY package.json package-lock.json ./
COPY proto/package.json proto/package.json
COPY packages/runtime/package.json packages/runtime/package.json
COPY packages/fixture-model/package.json packages/fixture-model/package.json
COPY services/gateway/package.json services/gateway/package.json
COPY services/g2p/package.json services/g2p/package.json
COPY services/synth/package.json services/synth/package.json
COPY services/model-mirror/package.json services/model-mirror/package.json
# ca_bundle (optional): the build host's CA bundle, for networks whose HTTPS goes through an
# inspecting proxy (build-image.sh passes /etc/ssl/certs/ca-certificates.crt); never stored in the image.
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=secret,id=ca_bundle \
    NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle npm ci --omit=dev \
 && ort=node_modules/onnxruntime-node/bin/napi-v6 \
 && find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} + \
 && find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name x64 -exec rm -rf {} + \
 && test -f "$ort/linux/x64/libonnxruntime.so.1" \
 && test -f "$ort/linux/x64/onnxruntime_binding.node"

# --- 2. the Bun binary, from the same npm package the repo pins
FROM node AS bun
ARG BUN_VERSION
WORKDIR /bun
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=secret,id=ca_bundle \
    NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle npm install --no-save --no-package-lock --foreground-scripts "bun@${BUN_VERSION}" \
 && (cp node_modules/@oven/bun-linux-x64/bin/bun /usr/local/bin/bun 2>/dev/null \
     || cp node_modules/bun/bin/bun.exe /usr/local/bin/bun) \
 && chmod 0755 /usr/local/bin/bun \
 && test "$(/usr/local/bin/bun --version)" = "${BUN_VERSION}"

# --- 3. runtime: glibc + libstdc++ (onnxruntime), tini as PID 1, non-root
FROM ${BASE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini libstdc++6 espeak-ng-data espeak-ng \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 kokoro \
 && useradd --system --uid 10001 --gid kokoro --home-dir /app --shell /usr/sbin/nologin kokoro \
 && mkdir -p /data \
 && chown kokoro:kokoro /data
WORKDIR /app
COPY --from=bun /usr/local/bin/bun /usr/local/bin/bun
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json bunfig.toml ./
COPY --chown=root:root proto ./proto
COPY --chown=root:root packages ./packages
COPY --chown=root:root services ./services
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080 \
    MIRROR_PORT=8081
# Fail the build if the native inference library cannot be loaded here.
RUN bun -e "const ort = require('onnxruntime-node'); if (typeof ort.InferenceSession?.create !== 'function') process.exit(1)"
USER 10001:10001
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/bun"]
CMD ["services/all-in-one.ts"]
