output "namespace" {
  description = "Namespace the stack runs in."
  value       = local.namespace
}

output "gateway_url" {
  description = "Public URL of the speech API."
  value       = "${var.tls_cluster_issuer == null ? "http" : "https"}://${var.gateway_host}"
}

output "mirror_url" {
  description = "Public URL of the model CDN (HF_ENDPOINT for huggingface_hub clients)."
  value       = "${var.tls_cluster_issuer == null ? "http" : "https"}://${var.mirror_host}"
}

output "nats_url" {
  description = "NATS URL the services use."
  value       = local.nats_url
}

output "images" {
  description = "Image each service runs."
  value       = { for k, v in local.services : k => "${var.image_repository}:${var.image_tags[k]}" }
}
