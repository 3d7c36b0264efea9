/**
 * The G2P service on the bus: `subjects.g2p.phonemize` (request/reply),
 * `contracts.g2p.stream` (the same, streamed chunk by chunk for long texts) and
 * `subjects.g2p.status`.
 */
import {
  contracts,
  G2pRequest,
  G2pChunk,
  MAX_PAYLOAD_BYTES,
  MISAKI_REPO,
  queues,
  subjects,
  type G2pResult,
  type G2pStreamAccept,
  type G2pStreamEnd,
  type Language,
  type ServiceStatus,
} from "@kokoro-edge/proto";
import {
  AppError,
  encodeJson,
  instanceId,
  type Bus,
  type Logger,
  type Subscription,
  collectGarbage,
} from "@kokoro-edge/runtime";
import type { G2pConfig } from "./config";
import { G2pMetrics } from "./metrics";
import {
  checkText,
  dialectOf,
  isEnglish,
  phonemizeChunks,
  phonemizeText,
  type PhonemizeOptions,
  type Resources,
} from "./engine";
import { resolveLanguage } from "./language";
import { languageWarnings } from "./language-fit";
import { lexiconFilesFromMirror, vocabFromFile, vocabFromMirror, type VocabSource } from "./model-config";
import { builtInVocab, vocabDifferences } from "./vocab";
import { loadLexicon, type Lexicon } from "./pronounce/lexicon";
import { closeEspeak, warmEspeak } from "./pronounce/espeak";

/**
 * Streamed form of phonemize (not in proto's `subjects` yet): request body a
 * G2pRequest; accept reply `{v, language}`; one data message per G2pChunk;
 * end `{v, language, chunks}` (the number of chunks sent).
 */

/** Largest request/reply answer (NATS's payload limit, less room for headers). */
const MAX_REPLY_BYTES = MAX_PAYLOAD_BYTES - 16_000;

export interface G2pDeps {
  bus: Bus;
  log: Logger;
  config: G2pConfig;
}

export interface G2pService {
  stop(): Promise<void>;
  status(): ServiceStatus;
  /** Resolves once the vocab and the preloaded lexicons are ready (tests, launchers). */
  ready(): Promise<void>;
  /** In-process call, same validation and result as the bus subject. */
  phonemize(req: G2pRequest): Promise<G2pResult>;
  metrics: G2pMetrics;
}

export async function startG2p(deps: G2pDeps): Promise<G2pService> {
  const { bus, config } = deps;
  const log = deps.log.child({ component: "g2p" });
  const instance = instanceId("g2p", config.INSTANCE_ID);
  let stopped = false;
  // Kokoro v1.0's vocab is built in: g2p works before anything is downloaded, and
  // takes the mirror's (or KOKORO_CONFIG's) when there is one.
  let vocab: VocabSource | undefined = config.KOKORO_CONFIG
    ? undefined
    : { vocab: builtInVocab(), from: "Kokoro v1.0's built-in vocab" };
  let vocabProblem = "loading KOKORO_CONFIG";
  const lexicons = new Map<Language, Promise<Lexicon>>();
  const loadedLexicons = new Map<Language, Lexicon>();
  /** Languages whose lexicons were loaded without misaki's files (the mirror had none yet). */
  const withoutMisaki = new Set<Language>();
  let espeakNote = config.G2P_ESPEAK ? "espeak-ng loading" : "espeak-ng off";

  const lexiconSource = async (lang: Language) => {
    if (config.LEXICON_DIR) return config.LEXICON_DIR;
    try {
      return await lexiconFilesFromMirror(bus, dialectOf(lang));
    } catch (err) {
      log.debug("misaki lexicons not on the mirror yet", { language: lang, reason: (err as Error).message });
      return undefined;
    }
  };

  /** English's lexicon of a language: its own for en-us and en-gb, American English's for the English words of every other. */
  const lexicon = (language: Language, reload = false): Promise<Lexicon> => {
    const lang: Language = isEnglish(language) ? language : "en-us";
    let p = reload ? undefined : lexicons.get(lang);
    if (!p) {
      p = lexiconSource(lang)
        .then((source) => loadLexicon(dialectOf(lang), source, false, config.DATA_DIR))
        .then((lx) => {
          loadedLexicons.set(lang, lx);
          // the lexicon's JSON and the objects it was parsed into are garbage now: give them back
          collectGarbage();
          if (lx.stats.gold > 0 || config.LEXICON_DIR) withoutMisaki.delete(lang);
          else withoutMisaki.add(lang);
          log.info("lexicon loaded", {
            language: lang,
            ...lx.stats,
            heap_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
          });
          if (lx.stats.missing.length && config.LEXICON_DIR)
            log.warn("LEXICON_DIR lacks misaki lexicons; using what is there", {
              language: lang,
              missing: lx.stats.missing,
            });
          return lx;
        });
      const prev = lexicons.get(lang);
      p.catch((err) => {
        if (lexicons.get(lang) === p) prev ? lexicons.set(lang, prev) : lexicons.delete(lang);
        log.error("lexicon failed to load", { language: lang, err });
      });
      // a reload keeps serving the old lexicon until the new one is in
      if (reload && prev) void p.then(() => lexicons.set(lang, p!)).catch(() => {});
      else lexicons.set(lang, p);
    }
    return p;
  };

  // ---- misaki's lexicons arriving on the mirror after a language was loaded without them ----
  /** Reload every language asked for so far, each after its load in flight (none is missed). */
  const reloadForMisaki = () => {
    for (const [lang, p] of lexicons) {
      void p
        .catch(() => undefined)
        .then(() => (withoutMisaki.has(lang) || !loadedLexicons.has(lang) ? lexicon(lang, true) : undefined))
        .catch(() => {});
    }
  };
  // In case the announcement was missed (a restart of either side), ask again with back-off.
  let misakiTimer: ReturnType<typeof setTimeout> | undefined;
  let misakiRetryMs = 30_000;
  const pollMisaki = () => {
    misakiTimer = setTimeout(() => {
      if (stopped) return;
      if (withoutMisaki.size) reloadForMisaki();
      misakiRetryMs = Math.min(misakiRetryMs * 2, 600_000);
      pollMisaki();
    }, misakiRetryMs);
    misakiTimer.unref?.();
  };
  if (!config.LEXICON_DIR) pollMisaki();

  // ---- vocab: KOKORO_CONFIG, or the mirror's (retried with back-off while on the built-in one) ----
  let vocabReady!: () => void;
  const vocabPromise = new Promise<void>((r) => (vocabReady = r));
  if (vocab) vocabReady();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = config.G2P_MIRROR_RETRY_MS;
  const builtIn = vocab?.vocab;
  const loadVocab = async () => {
    try {
      const next = config.KOKORO_CONFIG
        ? await vocabFromFile(config.KOKORO_CONFIG)
        : await vocabFromMirror(bus);
      const diff = builtIn ? vocabDifferences(next.vocab, builtIn) : [];
      if (diff.length)
        log.warn(
          `the vocab from ${next.from} differs from Kokoro v1.0's (${diff.slice(0, 5).join(", ")}${diff.length > 5 ? `, ${diff.length - 5} more` : ""}); using it, as the model comes from the same place`,
        );
      const changed = vocab?.from !== next.from;
      vocab = next;
      vocabProblem = "";
      if (changed) log.info("vocab loaded", { from: vocab.from, symbols: vocab.vocab.size });
      vocabReady();
    } catch (err) {
      if (config.KOKORO_CONFIG) {
        vocabProblem = `cannot read KOKORO_CONFIG: ${(err as Error).message}`;
        log.error(vocabProblem);
        return;
      }
      log.debug("using the built-in vocab for now", { reason: (err as Error).message, retry_in_ms: retryMs });
      if (!stopped) retryTimer = setTimeout(() => void loadVocab(), retryMs);
      retryMs = Math.min(retryMs * 2, 300_000);
    }
  };
  void loadVocab();
  // A new verified version on the mirror may carry a new vocab, or the lexicons.
  const updatedSub: Subscription = bus.onEvent(contracts.mirror.updated, (ev) => {
    if (stopped) return;
    const repo = ev.version.repo;
    if (repo === MISAKI_REPO) {
      if (!config.LEXICON_DIR) reloadForMisaki();
      return;
    }
    if (!config.KOKORO_CONFIG) {
      clearTimeout(retryTimer);
      retryMs = config.G2P_MIRROR_RETRY_MS;
      void loadVocab();
    }
  });

  const preload = config.G2P_PRELOAD.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((l) => resolveLanguage(l, undefined));
  const preloaded = Promise.all(preload.map((l) => lexicon(l)));
  if (config.G2P_ESPEAK)
    void warmEspeak().then(
      (ms) => {
        espeakNote = `espeak-ng ready (${ms} ms)`;
        log.info("espeak-ng ready", { ms });
      },
      (err) => {
        espeakNote = `espeak-ng unavailable: ${(err as Error).message}`;
        log.warn("espeak-ng unavailable; out-of-vocabulary words use letter-to-sound rules", { err });
      },
    );

  const prepare = async (req: G2pRequest): Promise<{ opts: PhonemizeOptions; res: Resources }> => {
    const language = resolveLanguage(req.language, req.voice);
    checkText(req.text);
    if (!vocab)
      throw new AppError(
        503,
        "model_config_unavailable",
        `Phonemization is not available yet: ${vocabProblem}.`,
      );
    for (const [w, ph] of Object.entries(req.pronunciations ?? {})) {
      const bad = [...ph].filter((c) => !vocab!.vocab.has(c));
      if (!ph.trim() || bad.length)
        throw new AppError(
          400,
          "invalid_pronunciation",
          `Pronunciation for "${w}" ${!ph.trim() ? "is empty" : `has symbols outside Kokoro's phoneme alphabet: ${[...new Set(bad)].join(" ")}`}.`,
          "pronunciations",
        );
    }
    const lx = await lexicon(language);
    return {
      opts: {
        language,
        pronunciations: req.pronunciations,
        firstChunkTokens: req.first_chunk_tokens ?? config.G2P_FIRST_CHUNK_TOKENS,
        chunkTokens: req.chunk_tokens ?? config.G2P_CHUNK_TOKENS,
        chunkGrowth: config.G2P_CHUNK_GROWTH,
        espeak: config.G2P_ESPEAK,
      },
      res: { vocab: vocab.vocab, lexicon: lx },
    };
  };

  const metrics = new G2pMetrics();
  const phonemize = async (req: G2pRequest): Promise<G2pResult> => {
    const t0 = performance.now();
    try {
      const { opts, res } = await prepare(req);
      const result = await phonemizeText(req.text, opts, res);
      const warnings = languageWarnings(req.text, opts.language);
      if (warnings.length) result.warnings = warnings;
      const ms = performance.now() - t0;
      metrics.latency.observe(ms / 1000);
      metrics.requests.inc({ outcome: "ok" });
      metrics.chars.inc(req.text.length);
      log.debug("phonemized", { chars: req.text.length, chunks: result.chunks.length, ms: Math.round(ms) });
      return result;
    } catch (err) {
      metrics.requests.inc({ outcome: (err as { code?: string }).code ?? "internal_error" });
      throw err;
    }
  };

  const subs: Subscription[] = [
    bus.serveJson(
      contracts.g2p.phonemize,
      async (req) => {
        const result = await phonemize(req);
        // a reply must fit in one bus message: long texts use the streamed form
        const bytes = Buffer.byteLength(JSON.stringify(result));
        if (bytes > MAX_REPLY_BYTES)
          throw new AppError(
            413,
            "result_too_large",
            `The phonemized result is ${bytes} bytes, more than one message can carry (${MAX_REPLY_BYTES}); request it chunk by chunk on ${contracts.g2p.stream.subject}, or send a shorter text.`,
            "text",
          );
        return result;
      },
      // the gateway in this same process (the one-process stack on NATS) calls it directly
      { queue: queues.g2p, local: true },
    ),
    bus.serveJson(contracts.g2p.status, () => status()),
    bus.serveStream(contracts.g2p.stream, async (session, request) => {
      const { opts, res } = await prepare(request);
      const gen = phonemizeChunks(request.text, opts, res);
      // the first chunk before accepting, so that input errors are a clean rejection
      const first = await gen.next();
      const warnings = languageWarnings(request.text, opts.language);
      session.accept(
        encodeJson({
          v: 1,
          language: opts.language,
          ...(warnings.length ? { warnings } : {}),
        } satisfies G2pStreamAccept),
      );
      let n = 0;
      if (!first.done) {
        await session.send(encodeJson(G2pChunk.parse(first.value)));
        n++;
        for await (const c of gen) {
          if (session.signal.aborted) break;
          await session.send(encodeJson(c));
          n++;
        }
      }
      return { data: encodeJson({ v: 1, language: opts.language, chunks: n } satisfies G2pStreamEnd) };
    }),
  ];

  const status = (): ServiceStatus => {
    const lx = [...loadedLexicons.entries()].map(
      ([l, x]) =>
        `${l}: ${x.stats.sources.join("+")} (${x.stats.gold + x.stats.silver + x.stats.cmu} entries, ${x.stats.load_ms} ms)${withoutMisaki.has(l) ? " [misaki's lexicons not on the mirror yet]" : x.stats.missing.length ? ` [missing: ${x.stats.missing.join(", ")}]` : ""}`,
    );
    const waiting = preload.filter((l) => !loadedLexicons.has(l));
    const ready = !!vocab && waiting.length === 0 && !stopped;
    const detail = stopped
      ? "stopped"
      : !vocab
        ? vocabProblem
        : waiting.length
          ? `loading lexicons: ${waiting.join(", ")}`
          : `vocab from ${vocab.from}; lexicons ${lx.join("; ")}; ${espeakNote}`;
    return { v: 1, service: "g2p", instance, ready, detail, engine: "kokoro-edge g2p (misaki-compatible)" };
  };

  log.info("g2p serving", {
    subject: subjects.g2p.phonemize,
    stream: contracts.g2p.stream.subject,
    lexicon_dir: config.LEXICON_DIR ?? null,
    kokoro_config: config.KOKORO_CONFIG ?? "(from mirror)",
  });

  return {
    status,
    phonemize,
    metrics,
    ready: async () => {
      await Promise.all([vocabPromise, preloaded]);
    },
    stop: async () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      clearTimeout(misakiTimer);
      updatedSub.unsubscribe();
      for (const s of subs) s.unsubscribe();
      closeEspeak();
    },
  };
}
