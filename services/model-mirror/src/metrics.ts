/** The mirror's metrics, in its own registry (see the runtime's metrics module). */
import { Counter, Gauge, Registry, exposition } from "@kokoro-edge/runtime";

export class MirrorMetrics {
  readonly registry = new Registry();
  private counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  /** Gauges read from the mirror's state when scraped: the service sets this. */
  refresh?: () => void;
  private refreshed = false;
  private gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      // one refresh per scrape, whichever gauge is collected first
      collect: () => {
        if (this.refreshed) return;
        this.refreshed = true;
        queueMicrotask(() => (this.refreshed = false));
        this.refresh?.();
      },
    });

  readonly syncRuns = this.counter("mirror_sync_runs_total", "Sync runs by outcome", ["repo", "outcome"]);
  readonly filesFetched = this.counter(
    "mirror_files_fetched_total",
    "Files downloaded and verified, by upstream",
    ["upstream"],
  );
  readonly bytesFetched = this.counter("mirror_bytes_fetched_total", "Bytes downloaded from upstreams", [
    "upstream",
  ]);
  readonly upstreamFailures = this.counter(
    "mirror_upstream_failures_total",
    "Failed upstream requests by upstream and reason",
    ["upstream", "reason"],
  );
  readonly breakerOpen = this.gauge(
    "mirror_upstream_breaker_open",
    "1 while an upstream's circuit breaker is open",
    ["upstream"],
  );
  readonly httpRequests = this.counter("mirror_http_requests_total", "HTTP requests by route and status", [
    "route",
    "status",
  ]);
  readonly bytesServed = this.counter("mirror_bytes_served_total", "Bytes of blobs served over HTTP");
  readonly scrubbed = this.counter("mirror_blobs_scrubbed_total", "Blobs re-hashed by the scrub, by result", [
    "result",
  ]);
  readonly ready = this.gauge("mirror_ready", "1 when every configured repo has a verified version");
  readonly versions = this.gauge("mirror_version_files", "Files in the current version, by repo", [
    "repo",
    "revision",
  ]);
  readonly downloadBytes = this.gauge(
    "mirror_download_bytes",
    "Bytes of the sync in progress downloaded so far, by repo (0 when none runs)",
    ["repo"],
  );
  readonly downloadSize = this.gauge(
    "mirror_download_size_bytes",
    "Bytes the sync in progress downloads in all, by repo (0 when none runs or unknown)",
    ["repo"],
  );
  readonly downloadRate = this.gauge(
    "mirror_download_rate_bytes_per_second",
    "Download rate of the sync in progress over the last seconds, by repo",
    ["repo"],
  );

  /** The whole /metrics body of a mirror running on its own (process metrics included). */
  render(): Promise<string> {
    return exposition(this.registry);
  }
}
