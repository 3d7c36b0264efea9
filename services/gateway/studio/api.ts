/**
 * The studio's only way to the server: the public HTTP API (plus the project
 * routes), with the API key from localStorage when one is set. Errors come back
 * as the API's message so the UI can show them as they are.
 */
export const SAMPLE_RATE = 24_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const apiKey = () => {
  try {
    return localStorage.getItem("studio.apiKey") ?? "";
  } catch {
    return "";
  }
};
const auth = (): Record<string, string> => (apiKey() ? { authorization: `Bearer ${apiKey()}` } : {});

async function fail(res: Response): Promise<never> {
  let code = "http_error";
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    /* not JSON */
  }
  throw new ApiError(res.status, code, message);
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { ...auth(), ...(init.headers as Record<string, string>) };
  if (init.body && typeof init.body === "string") headers["content-type"] = "application/json";
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) return fail(res);
  return res.json() as Promise<T>;
}

export interface ParsedDoc {
  format: "srt" | "vtt" | "ass" | "text";
  timed: boolean;
  cues: { start_s: number; end_s: number; text: string; speaker?: string; line: number }[];
  warnings: { line: number; message: string }[];
}

/** Upload one file to the parser, reporting progress (XHR: fetch has no upload progress). */
export function uploadForParse(file: File, onProgress: (fraction: number) => void): Promise<ParsedDoc> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/subtitles/parse");
    for (const [k, v] of Object.entries(auth())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () =>
      reject(
        new ApiError(0, "network", "the upload failed (network error or the server closed the connection)"),
      );
    xhr.onload = () => {
      let body: any;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        return reject(new ApiError(xhr.status, "http_error", `${xhr.status} ${xhr.statusText}`));
      }
      if (xhr.status >= 400)
        return reject(
          new ApiError(
            xhr.status,
            body.error?.code ?? "http_error",
            body.error?.message ?? String(xhr.status),
          ),
        );
      onProgress(1);
      resolve(body);
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

export const parseText = (document: string) =>
  api<ParsedDoc>("/v1/subtitles/parse", {
    method: "POST",
    body: JSON.stringify({ document, format: "text" }),
  });

export interface Voice {
  name: string;
  language: string;
  gender: string;
  available: boolean;
}
export const listVoices = () => api<{ data: Voice[] }>("/v1/voices").then((r) => r.data);

/** Streams raw 24 kHz 16-bit PCM of one text; `onChunk` gets float samples as they arrive. */
export async function speakPcm(
  text: string,
  voice: string,
  speed: number,
  signal: AbortSignal | undefined,
  onChunk?: (f: Float32Array) => void,
): Promise<{ pcm: Float32Array; modelVersion: string }> {
  const res = await fetch("/v1/audio/speech", {
    method: "POST",
    headers: { "content-type": "application/json", ...auth() },
    body: JSON.stringify({ model: "kokoro", input: text, voice, speed, response_format: "pcm" }),
    signal,
  });
  if (!res.ok) return fail(res);
  const reader = res.body!.getReader();
  const parts: Float32Array[] = [];
  let carry: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let bytes = value;
    if (carry !== undefined) {
      const b = new Uint8Array(bytes.length + 1);
      b[0] = carry;
      b.set(bytes, 1);
      bytes = b;
      carry = undefined;
    }
    if (bytes.length % 2) {
      carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const f = new Float32Array(bytes.length / 2);
    for (let i = 0; i < f.length; i++) f[i] = view.getInt16(i * 2, true) / 32768;
    parts.push(f);
    onChunk?.(f);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const pcm = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    pcm.set(p, o);
    o += p.length;
  }
  return { pcm, modelVersion: res.headers.get("x-kokoro-model-version") ?? "" };
}

export interface Job {
  id: string;
  status: string;
  progress?: { cues_done?: number; cues_total?: number };
  error?: { message: string } | null;
}

export interface ProjectSummary {
  id: string;
  name: string;
  cue_count: number;
  updated_at: string;
}
