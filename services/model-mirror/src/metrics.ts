/** The mirror's metrics (Prometheus text format). */
import { MetricFamily as Family, renderMetrics } from "@kokoro-edge/runtime";

export class MirrorMetrics {
  readonly syncRuns = new Family("mirror_sync_runs_total", "Sync runs by outcome", "counter");
  readonly filesFetched = new Family("mirror_files_fetched_total", "Files downloaded and verified, by upstream", "counter");
  readonly bytesFetched = new Family("mirror_bytes_fetched_total", "Bytes downloaded from upstreams", "counter");
  readonly upstreamFailures = new Family("mirror_upstream_failures_total", "Failed upstream requests by upstream and reason", "counter");
  readonly breakerOpen = new Family("mirror_upstream_breaker_open", "1 while an upstream's circuit breaker is open", "gauge");
  readonly httpRequests = new Family("mirror_http_requests_total", "HTTP requests by route and status", "counter");
  readonly bytesServed = new Family("mirror_bytes_served_total", "Bytes of blobs served over HTTP", "counter");
  readonly scrubbed = new Family("mirror_blobs_scrubbed_total", "Blobs re-hashed by the scrub, by result", "counter");
  readonly ready = new Family("mirror_ready", "1 when every configured repo has a verified version", "gauge");
  readonly versions = new Family("mirror_version_files", "Files in the current version, by repo", "gauge");
  readonly downloadBytes = new Family("mirror_download_bytes", "Bytes of the sync in progress downloaded so far, by repo (0 when none runs)", "gauge");
  readonly downloadSize = new Family("mirror_download_size_bytes", "Bytes the sync in progress downloads in all, by repo (0 when none runs or unknown)", "gauge");
  readonly downloadRate = new Family("mirror_download_rate_bytes_per_second", "Download rate of the sync in progress over the last seconds, by repo", "gauge");

  render(): string {
    return renderMetrics([this.syncRuns, this.filesFetched, this.bytesFetched, this.upstreamFailures, this.breakerOpen, this.httpRequests, this.bytesServed, this.scrubbed, this.ready, this.versions, this.downloadBytes, this.downloadSize, this.downloadRate]);
  }
}
