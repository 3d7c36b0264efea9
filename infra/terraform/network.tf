# Ingress rules: deny by default; gateway and mirror open (they are the public
# entry points); NATS only from the service pods; worker metrics only from the
# monitoring namespace. The database is external here: restrict it at its end
# to the gateway and model-mirror pods (or their nodes' egress addresses).
# Egress is not restricted. If you restrict it, the model-mirror pods need
# HTTPS (443) to mirror_upstreams and mirror_pinned_upstreams (huggingface.co,
# raw.githubusercontent.com), every pod DNS and NATS, g2p and synth the
# mirror's port 8081 (they download the model, voices, vocab and lexicons there).

resource "kubernetes_network_policy_v1" "default_deny" {
  metadata {
    name      = "default-deny-ingress"
    namespace = local.namespace
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress"]
  }
}

resource "kubernetes_network_policy_v1" "public" {
  for_each = local.public
  metadata {
    name      = "${each.key}-public"
    namespace = local.namespace
  }
  spec {
    pod_selector {
      match_labels = { "app.kubernetes.io/name" = each.key }
    }
    policy_types = ["Ingress"]
    ingress {
      ports {
        port     = tostring(local.services[each.key].port)
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "nats_clients" {
  count = var.install_nats ? 1 : 0
  metadata {
    name      = "nats-clients"
    namespace = local.namespace
  }
  spec {
    pod_selector {
      match_labels = { "app.kubernetes.io/name" = "nats" }
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        pod_selector {
          match_labels = { "kokoro-edge/nats-client" = "true" }
        }
      }
      ports {
        port     = "4222"
        protocol = "TCP"
      }
    }
    ingress {
      from {
        pod_selector {
          match_labels = { "app.kubernetes.io/name" = "nats" }
        }
      }
      ports {
        port     = "6222"
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_network_policy_v1" "worker_metrics" {
  metadata {
    name      = "workers-metrics"
    namespace = local.namespace
  }
  spec {
    pod_selector {
      match_expressions {
        key      = "app.kubernetes.io/name"
        operator = "In"
        values   = ["g2p", "synth"]
      }
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "monitoring" }
        }
      }
      ports {
        port     = "8082"
        protocol = "TCP"
      }
      ports {
        port     = "8083"
        protocol = "TCP"
      }
    }
  }
}
