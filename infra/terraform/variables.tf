variable "namespace" {
  description = "Namespace the stack is deployed into."
  type        = string
  default     = "kokoro-edge"
}

variable "create_namespace" {
  description = "Create the namespace (false: it exists already)."
  type        = bool
  default     = true
}

variable "image_repository" {
  description = "Container image (without tag) built from the repository's Dockerfile; one image runs every service."
  type        = string
  default     = "ghcr.io/kokoro-edge/kokoro-edge"
}

variable "image_tags" {
  description = "Image tag per service, so a service can be rolled forward or back on its own."
  type = object({
    gateway      = string
    g2p          = string
    synth        = string
    model-mirror = string
  })
  default = {
    gateway      = "0.1.0"
    g2p          = "0.1.0"
    synth        = "0.1.0"
    model-mirror = "0.1.0"
  }
}

variable "gateway_replicas" {
  description = "Bounds for the gateway's CPU HorizontalPodAutoscaler."
  type = object({
    min = number
    max = number
  })
  default = { min = 2, max = 10 }

  validation {
    condition     = var.gateway_replicas.min >= 1 && var.gateway_replicas.max >= var.gateway_replicas.min
    error_message = "gateway_replicas: need 1 <= min <= max."
  }
}

variable "g2p_replicas" {
  description = "Bounds for the g2p CPU HorizontalPodAutoscaler."
  type = object({
    min = number
    max = number
  })
  default = { min = 2, max = 6 }

  validation {
    condition     = var.g2p_replicas.min >= 1 && var.g2p_replicas.max >= var.g2p_replicas.min
    error_message = "g2p_replicas: need 1 <= min <= max."
  }
}

variable "synth_replicas" {
  description = "Bounds for the synth KEDA ScaledObject (scale-to-one: min is at least 1)."
  type = object({
    min = number
    max = number
  })
  default = { min = 1, max = 8 }

  validation {
    condition     = var.synth_replicas.min >= 1 && var.synth_replicas.max >= var.synth_replicas.min
    error_message = "synth_replicas: need 1 <= min <= max."
  }
}

variable "synth_queue_target" {
  description = "Chunks waiting for inference per synth replica that KEDA aims for (kokoro_synth_queue_depth / replicas)."
  type        = number
  default     = 4
}

variable "prometheus_url" {
  description = "Prometheus that scrapes the gateway's /metrics; KEDA's prometheus trigger queries it."
  type        = string
  default     = "http://prometheus-operated.monitoring.svc:9090"
}

variable "model_repo" {
  description = "Hugging Face repository the mirror keeps, laid out like onnx-community/Kokoro-82M-v1.0-ONNX (onnx/*.onnx, tokenizer.json, voices/*.bin)."
  type        = string
  default     = "onnx-community/Kokoro-82M-v1.0-ONNX"
}

variable "model_revision" {
  description = "Branch, tag or commit of model_repo. Pin a commit sha in production."
  type        = string
  default     = "main"
}

variable "kokoro_dtype" {
  description = "The model variant: the one onnx/ file the mirror fetches and synth loads (both get it as KOKORO_DTYPE). q8 (onnx/model_quantized.onnx, 92 MB) is the CPU default; fp32 (onnx/model.onnx, 326 MB) for the last bit of quality."
  type        = string
  default     = "q8"

  validation {
    condition     = contains(["fp32", "fp16", "q8", "q8f16", "uint8", "uint8f16", "q4", "q4f16"], var.kokoro_dtype)
    error_message = "kokoro_dtype must be one of fp32, fp16, q8, q8f16, uint8, uint8f16, q4, q4f16."
  }
}

variable "extra_mirror_repos" {
  description = "More repos for the mirror to keep, after model_repo, as owner/name@revision:glob;glob."
  type        = list(string)
  default     = []
}

variable "mirror_upstreams" {
  description = "Comma-separated upstreams the mirror syncs from (HF-compatible base URLs or file:/// folders)."
  type        = string
  default     = "https://huggingface.co"
}

variable "mirror_pinned_upstreams" {
  description = "Comma-separated plain HTTPS sources of the mirror's pinned files (misaki's pronunciation lexicons for g2p), serving {base}/{owner}/{name}/{commit}/{path}; none for none."
  type        = string
  default     = "https://raw.githubusercontent.com"
}

variable "mirror_storage_size" {
  description = "Size of the mirror's PersistentVolumeClaim."
  type        = string
  default     = "20Gi"
}

variable "storage_class" {
  description = "StorageClass for the mirror's and NATS's volumes (null: the cluster default)."
  type        = string
  default     = null
}

variable "database_url" {
  description = "Postgres connection URL for gateway and model-mirror (postgres://user:password@host:5432/db). Stored in a Secret."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^postgres(ql)?://", var.database_url))
    error_message = "database_url must start with postgres:// or postgresql://."
  }
}

variable "api_keys_required" {
  description = "Gateway refuses requests without a valid API key."
  type        = bool
  default     = true
}

variable "max_input_chars" {
  description = "Longest speech input the gateway accepts, in characters."
  type        = number
  default     = 20000
}

variable "rate_limit_rpm" {
  description = "Requests per minute allowed per API key (0: no limit)."
  type        = number
  default     = 600
}

variable "max_streams_per_key" {
  description = "Concurrent speech streams allowed per API key (0: no limit)."
  type        = number
  default     = 8
}

variable "cors_origins" {
  description = "Comma-separated browser origins allowed by CORS (empty: none, * : any)."
  type        = string
  default     = ""
}

variable "gateway_host" {
  description = "Public host name of the speech API Ingress."
  type        = string
}

variable "mirror_host" {
  description = "Public host name of the model CDN Ingress."
  type        = string
}

variable "ingress_class" {
  description = "IngressClass (the annotations are ingress-nginx's)."
  type        = string
  default     = "nginx"
}

variable "tls_cluster_issuer" {
  description = "cert-manager ClusterIssuer for the Ingress certificates (null: no TLS section)."
  type        = string
  default     = null
}

variable "otlp_endpoint" {
  description = "OTLP/HTTP endpoint for traces (empty: tracing export off)."
  type        = string
  default     = ""
}

variable "log_level" {
  description = "Log level of every service: debug, info, warn or error."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "install_nats" {
  description = "Install NATS with JetStream from the official nats-io Helm chart (false: use nats_url)."
  type        = bool
  default     = true
}

variable "nats_chart_version" {
  description = "Version of the nats-io/nats Helm chart."
  type        = string
  default     = "1.2.6"
}

variable "nats_replicas" {
  description = "NATS servers (1, or 3 and more for a JetStream cluster)."
  type        = number
  default     = 3
}

variable "nats_url" {
  description = "NATS URL when install_nats is false."
  type        = string
  default     = ""
}

variable "install_keda" {
  description = "Install KEDA from its Helm chart (false: it is in the cluster already)."
  type        = bool
  default     = false
}

variable "keda_chart_version" {
  description = "Version of the kedacore/keda Helm chart."
  type        = string
  default     = "2.16.1"
}

variable "jobs_storage_class" {
  description = "StorageClass of the gateways' shared jobs volume; it must offer jobs_access_mode (null: the cluster default)."
  type        = string
  default     = null
}

variable "jobs_access_mode" {
  description = "ReadWriteMany so every gateway replica mounts the jobs volume; ReadWriteOnce only on a one-node cluster."
  type        = string
  default     = "ReadWriteMany"

  validation {
    condition     = contains(["ReadWriteMany", "ReadWriteOnce"], var.jobs_access_mode)
    error_message = "jobs_access_mode: ReadWriteMany or ReadWriteOnce."
  }
}

variable "jobs_storage_size" {
  description = "Size of the gateways' shared jobs volume (renders in progress and finished audio kept JOB_RETENTION_HOURS)."
  type        = string
  default     = "20Gi"
}
