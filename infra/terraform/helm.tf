# NATS with JetStream from the official chart (nats-io/k8s, chart "nats").
resource "helm_release" "nats" {
  count      = var.install_nats ? 1 : 0
  name       = "nats"
  namespace  = local.namespace
  repository = "https://nats-io.github.io/k8s/helm/charts/"
  chart      = "nats"
  version    = var.nats_chart_version

  values = [yamlencode({
    config = {
      cluster = {
        enabled  = var.nats_replicas > 1
        replicas = var.nats_replicas
      }
      jetstream = {
        enabled = true
        fileStore = {
          pvc = {
            size             = "10Gi"
            storageClassName = var.storage_class
          }
        }
        memoryStore = {
          enabled = true
          maxSize = "256Mi"
        }
      }
      merge = {
        max_payload = 1048576
      }
    }
    container = {
      merge = {
        resources = {
          requests = { cpu = "100m", memory = "128Mi" }
          limits   = { memory = "512Mi" }
        }
      }
    }
  })]
}

# KEDA, when the cluster does not have it yet (cluster-wide: one per cluster).
resource "helm_release" "keda" {
  count            = var.install_keda ? 1 : 0
  name             = "keda"
  namespace        = "keda"
  create_namespace = true
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = var.keda_chart_version
}
