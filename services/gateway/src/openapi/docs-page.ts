/**
 * GET /docs: one self-contained page (no CDN, no build step). It renders
 * /openapi.json as a list of endpoints with their parameters, schemas and
 * responses, and has a small player that streams speech with `fetch` and
 * plays it with Web Audio as the bytes arrive.
 */
export const DOCS_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kokoro-edge API</title>
<style>
  :root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6572; --bg: #fff; --card: #f5f7f9; --line: #d9dee4; --accent: #2f6fde; }
  @media (prefers-color-scheme: dark) { :root { --fg: #e6e9ed; --muted: #9aa5b1; --bg: #14171b; --card: #1c2026; --line: #2c323a; --accent: #6aa0ff; } }
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: var(--fg); background: var(--bg); }
  main { max-width: 980px; margin: 0 auto; padding: 24px; }
  h1 { margin: 0 0 4px; font-size: 26px; } h2 { margin-top: 32px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
  .muted { color: var(--muted); }
  details.op { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 8px 12px; }
  details.op summary { cursor: pointer; font-family: ui-monospace, monospace; }
  .method { display: inline-block; min-width: 64px; font-weight: 700; text-transform: uppercase; }
  .get { color: #2a8a4a; } .post { color: var(--accent); } .delete { color: #c0392b; }
  pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; font-size: 13px; max-height: 360px; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; } td, th { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 6px; vertical-align: top; }
  code { font-family: ui-monospace, monospace; }
  #player { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
  #player textarea { width: 100%; box-sizing: border-box; min-height: 70px; font: inherit; }
  #player label { margin-right: 12px; }
</style>
</head>
<body>
<main>
  <h1 id="title">kokoro-edge API</h1>
  <div id="summary" class="muted">Loading <a href="/openapi.json">/openapi.json</a>…</div>

  <h2>Try it: streaming speech</h2>
  <div id="player">
    <textarea id="text">Kokoro streams speech as it is made. You hear the first words while the rest is still being spoken.</textarea>
    <p>
      <label>Voice <select id="voice"><option>af_heart</option></select></label>
      <label>Speed <input id="speed" type="number" min="0.25" max="4" step="0.05" value="1" style="width:5em"></label>
      <label>API key <input id="key" type="password" placeholder="optional in open mode" autocomplete="off"></label>
      <button id="play" type="button">Play</button> <button id="stop" type="button">Stop</button>
    </p>
    <div id="status" class="muted">Idle.</div>
  </div>

  <h2>Talk to it: realtime, as an LLM writes</h2>
  <div id="talk">
    <p class="muted">Types the paragraph into <code>/v1/speak</code> (Deepgram's WebSocket protocol; see <a href="/asyncapi.json">/asyncapi.json</a>) at an LLM's pace, and plays speech as soon as each phrase is known. Interrupt barges in (Clear).</p>
    <textarea id="talk-text">Sure, I can help with that. The next train to the airport leaves at ten past nine from platform four, and it takes about forty minutes. Would you like me to book a seat? I can also check whether there is a faster connection later this morning.</textarea>
    <p>
      <label>Tokens per second <input id="talk-rate" type="number" min="1" max="200" value="30" style="width:4em"></label>
      <button id="talk-go" type="button">Talk</button> <button id="talk-clear" type="button">Interrupt</button>
    </p>
    <div id="talk-typed" class="muted" style="min-height:2.5em"></div>
    <div id="talk-status" class="muted">Idle.</div>
  </div>

  <div id="ops"></div>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// ---- the document ----------------------------------------------------------
let spec;
function resolve(schema) {
  if (schema && schema.$ref) return spec.components.schemas[schema.$ref.split("/").pop()] || schema;
  return schema;
}
function schemaName(schema) { return schema && schema.$ref ? schema.$ref.split("/").pop() : ""; }
function propsTable(schema) {
  const s = resolve(schema);
  if (!s || !s.properties) return "<pre>" + esc(JSON.stringify(s, null, 2)) + "</pre>";
  const req = new Set(s.required || []);
  const rows = Object.entries(s.properties).map(([k, p]) => {
    const t = p.$ref ? schemaName(p) : p.enum ? p.enum.map((x) => JSON.stringify(x)).join(" | ") : p.type === "array" ? "array of " + (schemaName(p.items) || (p.items && p.items.type) || "any") : (p.type || (p.anyOf ? "one of several" : "any"));
    const dflt = p.default !== undefined ? " (default " + esc(JSON.stringify(p.default)) + ")" : "";
    return "<tr><td><code>" + esc(k) + "</code>" + (req.has(k) ? " *" : "") + "</td><td>" + esc(t) + dflt + "</td><td>" + esc(p.description || "") + "</td></tr>";
  });
  return "<table><tr><th>field</th><th>type</th><th>about</th></tr>" + rows.join("") + "</table>";
}
function renderOp(path, method, op) {
  let h = '<details class="op" data-path="' + esc(path) + '" data-method="' + method + '"><summary><span class="method ' + method + '">' + method + "</span> " + esc(path) + ' <span class="muted">— ' + esc(op.summary || "") + "</span></summary>";
  if (op.parameters && op.parameters.length) {
    h += "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>about</th></tr>" + op.parameters.map((p) => "<tr><td><code>" + esc(p.name) + "</code></td><td>" + esc(p.in) + "</td><td>" + esc(p.description || (p.schema && (p.schema.enum || []).join(" | ")) || "") + "</td></tr>").join("") + "</table>";
  }
  if (op.requestBody) {
    const s = op.requestBody.content["application/json"].schema;
    h += "<h4>Body <code>" + esc(schemaName(s)) + "</code></h4>" + propsTable(s);
  }
  h += "<h4>Responses</h4><table>" + Object.entries(op.responses).map(([code, r]) => "<tr><td><code>" + code + "</code></td><td>" + esc(r.description || "") + (r.content ? ' <span class="muted">(' + esc(Object.keys(r.content).join(", ")) + ")</span>" : "") + "</td></tr>").join("") + "</table>";
  return h + "</details>";
}
async function loadSpec() {
  const res = await fetch("/openapi.json");
  spec = await res.json();
  $("title").textContent = spec.info.title + " " + spec.info.version;
  $("summary").innerHTML = esc(spec.info.summary || "") + "<br>" + esc(spec.info.description || "") + ' <a href="/openapi.json">openapi.json</a>';
  const byTag = {};
  for (const [path, item] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(item)) (byTag[(op.tags || ["other"])[0]] ||= []).push(renderOp(path, method, op));
  $("ops").innerHTML = (spec.tags || []).map((t) => byTag[t.name] ? "<h2>" + esc(t.name) + ' <span class="muted" style="font-size:14px">' + esc(t.description || "") + "</span></h2>" + byTag[t.name].join("") : "").join("");
  document.body.dataset.spec = "loaded";
}

// ---- the player: fetch streams raw PCM, Web Audio plays it as it arrives ------
const player = (window.kokoroPlayer = { state: "idle", bytes: 0, samples: 0, buffers: 0, firstAudioMs: null, scheduledS: 0, error: null, requestId: null });
let ctx, abort, nextTime = 0;
/** The audio clock (seconds) and state, for tests and curious users. */
window.kokoroClock = () => (ctx ? { state: ctx.state, time: ctx.currentTime, scheduledUntil: nextTime } : null);
function authHeaders() { const k = $("key").value.trim(); return k ? { authorization: "Bearer " + k } : {}; }
async function loadVoices() {
  try {
    const res = await fetch("/v1/voices?available=true", { headers: authHeaders() });
    if (!res.ok) return;
    const list = await res.json();
    const names = list.data.map((v) => v.name);
    if (names.length) $("voice").innerHTML = names.map((n) => "<option" + (n === "af_heart" ? " selected" : "") + ">" + esc(n) + "</option>").join("");
    document.body.dataset.voices = "loaded";
  } catch {}
}
function schedule(int16) {
  const f = new Float32Array(int16.length);
  for (let i = 0; i < int16.length; i++) f[i] = int16[i] / 32768;
  const buf = ctx.createBuffer(1, f.length, 24000);
  buf.copyToChannel(f, 0);
  const src = ctx.createBufferSource();
  src.buffer = buf;
  src.connect(ctx.destination);
  nextTime = Math.max(nextTime, ctx.currentTime + 0.05);
  src.start(nextTime);
  nextTime += buf.duration;
  player.buffers++;
  player.scheduledS += buf.duration;
}
async function play() {
  stop();
  Object.assign(player, { state: "loading", bytes: 0, samples: 0, buffers: 0, firstAudioMs: null, scheduledS: 0, error: null, requestId: null });
  ctx ||= new AudioContext({ sampleRate: 24000 });
  await ctx.resume();
  nextTime = 0;
  abort = new AbortController();
  const t0 = performance.now();
  try {
    const res = await fetch("/v1/audio/speech", {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders() },
      body: JSON.stringify({ model: "kokoro", input: $("text").value, voice: $("voice").value, response_format: "pcm", speed: Number($("speed").value) || 1 }),
      signal: abort.signal,
    });
    player.requestId = res.headers.get("x-request-id");
    if (!res.ok) {
      const e = await res.json().catch(() => ({ error: { message: res.statusText } }));
      throw new Error(res.status + ": " + e.error.message);
    }
    player.state = "streaming";
    const reader = res.body.getReader();
    let carry = null; // an odd byte left over between network chunks
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let bytes = value;
      if (carry) { bytes = new Uint8Array(value.length + 1); bytes[0] = carry[0]; bytes.set(value, 1); carry = null; }
      if (bytes.length % 2) { carry = bytes.slice(-1); bytes = bytes.subarray(0, bytes.length - 1); }
      player.bytes += bytes.length;
      if (!bytes.length) continue;
      const samples = new Int16Array(bytes.slice().buffer);
      if (player.firstAudioMs === null) player.firstAudioMs = performance.now() - t0;
      player.samples += samples.length;
      schedule(samples);
      $("status").textContent = "Streaming: " + (player.samples / 24000).toFixed(2) + " s received, first audio after " + Math.round(player.firstAudioMs) + " ms.";
    }
    player.state = "done";
    $("status").textContent = "Done: " + (player.samples / 24000).toFixed(2) + " s of audio in " + player.buffers + " pieces; first audio after " + Math.round(player.firstAudioMs) + " ms.";
  } catch (err) {
    if (abort.signal.aborted) { player.state = "stopped"; return; }
    player.state = "error";
    player.error = String(err.message || err);
    $("status").textContent = "Error: " + player.error;
  }
}
function stop() { if (abort) abort.abort(); if (ctx) { ctx.close(); ctx = null; } }
// ---- talk to it: the realtime socket --------------------------------------
/** The demo's state, for tests and curious users. */
const talk = { state: "idle", frames: 0, samples: 0, firstAudioMs: null, flushed: 0, cleared: 0, sentTokens: 0, error: null };
window.kokoroTalk = talk;
let talkWs = null;
let talkStop = { stop: false };
function talkTokens(text) { return text.match(/\s*[\w'’]+|\s*[^\w\s]|\s+$/g) || [text]; }
async function talkGo() {
  talkEnd();
  Object.assign(talk, { state: "connecting", frames: 0, samples: 0, firstAudioMs: null, flushed: 0, cleared: 0, sentTokens: 0, error: null });
  ctx ||= new AudioContext({ sampleRate: 24000 });
  await ctx.resume();
  nextTime = 0;
  const key = $("key").value.trim();
  const url = location.origin.replace(/^http/, "ws") + "/v1/speak?model=" + encodeURIComponent($("voice").value) + "&encoding=linear16&sample_rate=24000";
  const ws = key ? new WebSocket(url, ["token", key]) : new WebSocket(url);
  ws.binaryType = "arraybuffer";
  talkWs = ws;
  const stopper = (talkStop = { stop: false });
  const t0 = performance.now();
  ws.onmessage = (ev) => {
    if (typeof ev.data !== "string") {
      if (ws !== talkWs) return;
      const pcm = new Int16Array(ev.data.byteLength % 2 ? ev.data.slice(0, -1) : ev.data);
      if (talk.firstAudioMs === null) talk.firstAudioMs = performance.now() - t0;
      talk.frames++;
      talk.samples += pcm.length;
      schedule(pcm);
      $("talk-status").textContent = "Speaking: " + (talk.samples / 24000).toFixed(1) + " s of audio; first audio " + Math.round(talk.firstAudioMs) + " ms after the first token.";
      return;
    }
    const m = JSON.parse(ev.data);
    if (m.type === "Flushed") { talk.flushed++; talk.state = "done"; $("talk-status").textContent = "Done: " + (talk.samples / 24000).toFixed(1) + " s of audio; first audio " + Math.round(talk.firstAudioMs) + " ms after the first token."; }
    if (m.type === "Cleared") { talk.cleared++; }
    if (m.type === "Error" || m.type === "Warning") $("talk-status").textContent = m.type + ": " + m.description;
  };
  ws.onclose = (ev) => { if (talk.state !== "done" && talk.state !== "interrupted") { talk.state = "closed"; if (ev.code !== 1000) { talk.error = ev.code + " " + ev.reason; $("talk-status").textContent = "Closed: " + talk.error; } } };
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error("could not connect (is an API key needed?)")); }).catch((e) => { talk.state = "error"; talk.error = e.message; $("talk-status").textContent = "Error: " + e.message; });
  if (talk.state === "error") return;
  talk.state = "typing";
  const tokens = talkTokens($("talk-text").value);
  const gap = 1000 / Math.max(1, Number($("talk-rate").value) || 30);
  $("talk-typed").textContent = "";
  for (let i = 0; i < tokens.length && !stopper.stop; i++) {
    ws.send(JSON.stringify({ type: "Speak", text: tokens[i] }));
    talk.sentTokens++;
    $("talk-typed").textContent += tokens[i];
    await new Promise((r) => setTimeout(r, gap));
  }
  if (!stopper.stop && ws.readyState === 1) { ws.send(JSON.stringify({ type: "Flush" })); talk.state = "speaking"; }
}
function talkClear() {
  talkStop.stop = true;
  if (talkWs && talkWs.readyState === 1) talkWs.send(JSON.stringify({ type: "Clear" }));
  if (ctx) { ctx.close(); ctx = null; }
  talk.state = "interrupted";
  $("talk-status").textContent = "Interrupted: the rest is dropped; Talk again to start a new turn.";
}
function talkEnd() { talkStop.stop = true; if (talkWs) { try { talkWs.close(); } catch {} talkWs = null; } }
$("talk-go").addEventListener("click", () => { talkGo().catch((e) => { talk.state = "error"; talk.error = String(e); }); });
$("talk-clear").addEventListener("click", talkClear);
$("play").addEventListener("click", play);
$("stop").addEventListener("click", stop);
loadSpec().catch((e) => { $("summary").textContent = "Could not load /openapi.json: " + e.message; });
loadVoices();
</script>
</body>
</html>
`;
