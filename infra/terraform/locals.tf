locals {
  namespace = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace

  part_of = { "app.kubernetes.io/part-of" = "kokoro-edge" }

  nats_url   = var.install_nats ? "nats://nats.${var.namespace}.svc:4222" : var.nats_url
  mirror_url = "http://model-mirror:8081"

  # The onnx/ file of each KOKORO_DTYPE in the Kokoro ONNX repo (the same
  # table as proto/src/kokoro.ts MODEL_VARIANTS; tests/infra checks they agree).
  model_variants = {
    fp32     = "onnx/model.onnx"
    fp16     = "onnx/model_fp16.onnx"
    q8       = "onnx/model_quantized.onnx"
    q8f16    = "onnx/model_q8f16.onnx"
    uint8    = "onnx/model_uint8.onnx"
    uint8f16 = "onnx/model_uint8f16.onnx"
    q4       = "onnx/model_q4.onnx"
    q4f16    = "onnx/model_q4f16.onnx"
  }
  model_file = local.model_variants[var.kokoro_dtype]
  # What the mirror keeps of model_repo: what its default MIRROR_REPOS keeps
  # (the KOKORO_DTYPE variant, the vocab, the voices), at model_revision, which
  # the default cannot pin. First in MIRROR_REPOS: synth and g2p look it up there.
  model_repo_spec = "${var.model_repo}@${var.model_revision}:${local.model_file};tokenizer.json;voices/*.bin"

  # Environment every service gets (keys the shared config schema knows).
  common_env = {
    NATS_URL                    = local.nats_url
    LOG_LEVEL                   = var.log_level
    DATA_DIR                    = "/data"
    OTEL_EXPORTER_OTLP_ENDPOINT = var.otlp_endpoint
  }

  # One entry per service: entry point, port, probes and sizing. Ports and
  # env keys are checked against the services' config schemas by
  # tests/infra/terraform.test.ts, sizes are those of infra/k8s/base.
  services = {
    gateway = {
      args      = ["services/gateway/src/main.ts"]
      port      = 8080
      port_name = "http"
      database  = true
      requests  = { cpu = "250m", memory = "128Mi" }
      limits    = { cpu = "1", memory = "512Mi" }
      env = {
        PORT                = "8080"
        API_KEYS_REQUIRED   = tostring(var.api_keys_required)
        MAX_INPUT_CHARS     = tostring(var.max_input_chars)
        RATE_LIMIT_RPM      = tostring(var.rate_limit_rpm)
        MAX_STREAMS_PER_KEY = tostring(var.max_streams_per_key)
        JOBS_DIR            = "/jobs"
        CORS_ORIGINS        = var.cors_origins
      }
    }
    g2p = {
      args      = ["services/g2p/src/main.ts"]
      port      = 8082
      port_name = "health"
      database  = false
      requests  = { cpu = "200m", memory = "384Mi" }
      limits    = { cpu = "1", memory = "768Mi" }
      env = {
        # No KOKORO_CONFIG, no LEXICON_DIR: the vocab and misaki's lexicons
        # come from the mirror.
        HEALTH_PORT = "8082"
      }
    }
    synth = {
      args      = ["services/synth/src/main.ts"]
      port      = 8083
      port_name = "health"
      database  = false
      requests  = { cpu = "2", memory = "1Gi" }
      limits    = { cpu = "2", memory = "2Gi" }
      env = {
        HEALTH_PORT            = "8083"
        KOKORO_DTYPE           = var.kokoro_dtype # the variant the mirror fetches
        SYNTH_INTRA_OP_THREADS = "2"
        SYNTH_INTER_OP_THREADS = "1"
        SYNTH_CONCURRENCY      = "1"
        SYNTH_FIRST_CHUNK_LANE = "true" # the model is held twice: within the 2Gi limit
        SYNTH_NICE             = "10"
        SYNTH_FALLBACK_ENGINE  = "none"
      }
    }
    model-mirror = {
      args      = ["services/model-mirror/src/main.ts"]
      port      = 8081
      port_name = "http"
      database  = true
      requests  = { cpu = "100m", memory = "128Mi" }
      limits    = { cpu = "1", memory = "512Mi" }
      env = {
        MIRROR_PORT             = "8081"
        MIRROR_DIR              = "/mirror"
        MIRROR_PUBLIC_URL       = local.mirror_url
        MIRROR_UPSTREAMS        = var.mirror_upstreams
        MIRROR_PINNED_UPSTREAMS = var.mirror_pinned_upstreams
        KOKORO_DTYPE            = var.kokoro_dtype # the variant synth loads
        MIRROR_REPOS            = join(",", concat([local.model_repo_spec], var.extra_mirror_repos))
        MIRROR_SYNC_INTERVAL    = "1h"
      }
    }
  }

  # Services that autoscale (their Deployment replica count is left to the autoscaler).
  hpa = {
    gateway = var.gateway_replicas
    g2p     = var.g2p_replicas
  }

  public = {
    gateway      = var.gateway_host
    model-mirror = var.mirror_host
  }
}
