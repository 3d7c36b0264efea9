# kokoro-edge on an existing Kubernetes cluster: the same objects as
# infra/k8s (kustomize), with NATS (and optionally KEDA) from their official
# Helm charts and an external Postgres given by URL.

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0
  metadata {
    name   = var.namespace
    labels = local.part_of
  }
}

resource "kubernetes_secret_v1" "database" {
  metadata {
    name      = "postgres-app"
    namespace = local.namespace
    labels    = local.part_of
  }
  data = {
    uri = var.database_url
  }
}

resource "kubernetes_config_map_v1" "env" {
  for_each = local.services
  metadata {
    name      = "${each.key}-config"
    namespace = local.namespace
    labels    = merge(local.part_of, { "app.kubernetes.io/name" = each.key })
  }
  data = merge(local.common_env, each.value.env)
}

resource "kubernetes_persistent_volume_claim_v1" "jobs" {
  metadata {
    name      = "gateway-jobs"
    namespace = local.namespace
    labels    = merge(local.part_of, { "app.kubernetes.io/name" = "gateway" })
  }
  spec {
    # every gateway replica mounts it: a class with ReadWriteMany (NFS, EFS, Filestore, CephFS)
    access_modes       = [var.jobs_access_mode]
    storage_class_name = var.jobs_storage_class
    resources {
      requests = {
        storage = var.jobs_storage_size
      }
    }
  }
  wait_until_bound = false
}

resource "kubernetes_persistent_volume_claim_v1" "mirror" {
  metadata {
    name      = "model-mirror-store"
    namespace = local.namespace
    labels    = merge(local.part_of, { "app.kubernetes.io/name" = "model-mirror" })
  }
  spec {
    access_modes       = ["ReadWriteOnce"]
    storage_class_name = var.storage_class
    resources {
      requests = {
        storage = var.mirror_storage_size
      }
    }
  }
  wait_until_bound = false
}

resource "kubernetes_deployment_v1" "service" {
  for_each = local.services

  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = merge(local.part_of, { "app.kubernetes.io/name" = each.key })
  }

  spec {
    replicas = each.key == "gateway" ? var.gateway_replicas.min : each.key == "g2p" ? var.g2p_replicas.min : each.key == "synth" ? var.synth_replicas.min : 1

    selector {
      match_labels = { "app.kubernetes.io/name" = each.key }
    }

    strategy {
      type = each.key == "model-mirror" ? "Recreate" : "RollingUpdate"
      dynamic "rolling_update" {
        for_each = each.key == "model-mirror" ? [] : [1]
        content {
          max_surge       = "1"
          max_unavailable = "0"
        }
      }
    }

    template {
      metadata {
        # Every service talks NATS: the nats-clients NetworkPolicy admits this label.
        labels = merge(local.part_of, { "app.kubernetes.io/name" = each.key, "kokoro-edge/nats-client" = "true" })
        annotations = {
          "prometheus.io/scrape" = "true"
          "prometheus.io/port"   = tostring(each.value.port)
          "prometheus.io/path"   = "/metrics"
        }
      }

      spec {
        automount_service_account_token  = false
        termination_grace_period_seconds = each.key == "gateway" ? 120 : 60

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        container {
          name  = each.key
          image = "${var.image_repository}:${var.image_tags[each.key]}"
          args  = each.value.args

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.env[each.key].metadata[0].name
            }
          }
          env {
            name = "INSTANCE_ID"
            value_from {
              field_ref {
                field_path = "metadata.name"
              }
            }
          }
          env {
            name  = "OTEL_SERVICE_NAME"
            value = each.key
          }
          dynamic "env" {
            for_each = each.value.database ? [1] : []
            content {
              name = "DATABASE_URL"
              value_from {
                secret_key_ref {
                  name = kubernetes_secret_v1.database.metadata[0].name
                  key  = "uri"
                }
              }
            }
          }

          port {
            name           = each.value.port_name
            container_port = each.value.port
          }

          startup_probe {
            http_get {
              path = "/healthz"
              port = each.value.port_name
            }
            period_seconds    = 5
            failure_threshold = 60
          }
          liveness_probe {
            http_get {
              path = "/healthz"
              port = each.value.port_name
            }
            period_seconds    = 10
            timeout_seconds   = 5
            failure_threshold = 3
          }
          readiness_probe {
            http_get {
              path = "/readyz"
              port = each.value.port_name
            }
            period_seconds    = 5
            timeout_seconds   = 3
            failure_threshold = 2
          }

          resources {
            requests = each.value.requests
            limits   = each.value.limits
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "data"
            mount_path = "/data"
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
          dynamic "volume_mount" {
            for_each = each.key == "model-mirror" ? [1] : []
            content {
              name       = "store"
              mount_path = "/mirror"
            }
          }
          dynamic "volume_mount" {
            for_each = each.key == "gateway" ? [1] : []
            content {
              name       = "jobs"
              mount_path = "/jobs"
            }
          }
        }

        volume {
          name = "data"
          empty_dir {
            size_limit = each.key == "synth" ? "1Gi" : null
          }
        }
        volume {
          name = "tmp"
          empty_dir {}
        }
        dynamic "volume" {
          for_each = each.key == "model-mirror" ? [1] : []
          content {
            name = "store"
            persistent_volume_claim {
              claim_name = kubernetes_persistent_volume_claim_v1.mirror.metadata[0].name
            }
          }
        }
        # Jobs' audio, shared by every gateway replica (JOBS_DIR): one resumes another's jobs.
        dynamic "volume" {
          for_each = each.key == "gateway" ? [1] : []
          content {
            name = "jobs"
            persistent_volume_claim {
              claim_name = kubernetes_persistent_volume_claim_v1.jobs.metadata[0].name
            }
          }
        }
      }
    }
  }

  # The HPAs and KEDA own the replica counts after the first apply.
  lifecycle {
    ignore_changes = [spec[0].replicas]
  }
  wait_for_rollout = false
}

resource "kubernetes_service_v1" "service" {
  for_each = local.services
  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = merge(local.part_of, { "app.kubernetes.io/name" = each.key })
  }
  spec {
    selector = { "app.kubernetes.io/name" = each.key }
    port {
      name        = each.value.port_name
      port        = each.value.port
      target_port = each.value.port_name
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "cpu" {
  for_each = local.hpa
  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = local.part_of
  }
  spec {
    min_replicas = each.value.min
    max_replicas = each.value.max
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.service[each.key].metadata[0].name
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = 70
        }
      }
    }
    behavior {
      scale_down {
        stabilization_window_seconds = 300
        select_policy                = "Max"
        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
    }
  }
}

resource "kubernetes_manifest" "synth_scaledobject" {
  manifest = {
    apiVersion = "keda.sh/v1alpha1"
    kind       = "ScaledObject"
    metadata = {
      name      = "synth"
      namespace = local.namespace
      labels    = local.part_of
    }
    spec = {
      scaleTargetRef  = { apiVersion = "apps/v1", kind = "Deployment", name = kubernetes_deployment_v1.service["synth"].metadata[0].name }
      minReplicaCount = var.synth_replicas.min
      maxReplicaCount = var.synth_replicas.max
      pollingInterval = 10
      cooldownPeriod  = 300
      triggers = [{
        type = "prometheus"
        metadata = {
          serverAddress    = var.prometheus_url
          query            = "sum(kokoro_synth_queue_depth{namespace=\"${var.namespace}\"})"
          threshold        = tostring(var.synth_queue_target)
          ignoreNullValues = "true"
        }
      }]
    }
  }
  depends_on = [helm_release.keda]
}

resource "kubernetes_pod_disruption_budget_v1" "service" {
  for_each = { for k, v in local.services : k => v if k != "model-mirror" }
  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = local.part_of
  }
  spec {
    max_unavailable = "1"
    selector {
      match_labels = { "app.kubernetes.io/name" = each.key }
    }
  }
}

resource "kubernetes_ingress_v1" "public" {
  for_each = local.public
  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = local.part_of
    annotations = merge({
      "nginx.ingress.kubernetes.io/proxy-buffering"         = "off"
      "nginx.ingress.kubernetes.io/proxy-request-buffering" = "off"
      "nginx.ingress.kubernetes.io/proxy-http-version"      = "1.1"
      "nginx.ingress.kubernetes.io/proxy-read-timeout"      = each.key == "gateway" ? "3600" : "600"
      "nginx.ingress.kubernetes.io/proxy-send-timeout"      = each.key == "gateway" ? "3600" : "600"
      "nginx.ingress.kubernetes.io/proxy-max-temp-file-size" = "0"
    }, var.tls_cluster_issuer == null ? {} : { "cert-manager.io/cluster-issuer" = var.tls_cluster_issuer })
  }
  spec {
    ingress_class_name = var.ingress_class
    rule {
      host = each.value
      http {
        path {
          path      = "/"
          path_type = "Prefix"
          backend {
            service {
              name = kubernetes_service_v1.service[each.key].metadata[0].name
              port {
                name = local.services[each.key].port_name
              }
            }
          }
        }
      }
    }
    dynamic "tls" {
      for_each = var.tls_cluster_issuer == null ? [] : [1]
      content {
        hosts       = [each.value]
        secret_name = "${each.key}-tls"
      }
    }
  }
}
