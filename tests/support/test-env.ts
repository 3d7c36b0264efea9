/**
 * Preloaded by `bun test` (bunfig.toml): the environment every test process
 * and every service it spawns shares. The synth chunk cache's shared tier is a
 * JetStream bucket that outlives a run, so each run gets its own, small and
 * short-lived: a test never hears chunks a previous run made.
 */
process.env.SYNTH_CACHE_BUCKET ??= `kokoro-chunks-test-${process.pid}-${Date.now().toString(36)}`;
process.env.SYNTH_CACHE_SHARED_MB ??= "256";
process.env.SYNTH_CACHE_TTL_HOURS ??= "0.25";
