/** Voice picker: language and gender filters, search, favourites and recents (per browser), and a preview that streams. */
import { useMemo, useState } from "preact/hooks";
import type { Voice } from "./api";
import { prefs } from "./prefs";

const LANGS: Record<string, string> = {
  a: "American English",
  b: "British English",
  e: "Spanish",
  f: "French",
  h: "Hindi",
  i: "Italian",
  j: "Japanese",
  p: "Portuguese",
  z: "Chinese",
};
export const languageName = (code: string) => LANGS[code] ?? code;

export function VoicePicker(props: {
  voices: Voice[];
  value: string;
  onPick: (v: string) => void;
  onPreview: (v: string) => void;
  previewing: string;
}) {
  const [lang, setLang] = useState("");
  const [gender, setGender] = useState("");
  const [q, setQ] = useState("");
  const [, bump] = useState(0);
  const favs = prefs.favourites();
  const recents = prefs.recents();
  const langs = useMemo(() => [...new Set(props.voices.map((v) => v.language))].sort(), [props.voices]);
  const shown = props.voices
    .filter(
      (v) =>
        (!lang || v.language === lang) &&
        (!gender || v.gender === gender) &&
        (!q || v.name.toLowerCase().includes(q.toLowerCase())),
    )
    .sort(
      (a, b) => Number(favs.includes(b.name)) - Number(favs.includes(a.name)) || a.name.localeCompare(b.name),
    );
  return (
    <div class="voices">
      <div class="row wrap">
        <label>
          Language{" "}
          <select value={lang} onChange={(e) => setLang(e.currentTarget.value)}>
            <option value="">all</option>
            {langs.map((l) => (
              <option value={l}>{languageName(l)}</option>
            ))}
          </select>
        </label>
        <label>
          Gender{" "}
          <select value={gender} onChange={(e) => setGender(e.currentTarget.value)}>
            <option value="">all</option>
            <option value="female">female</option>
            <option value="male">male</option>
          </select>
        </label>
        <label>
          Search{" "}
          <input
            type="search"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            placeholder="af_heart"
          />
        </label>
      </div>
      {recents.length > 0 && (
        <p class="recents">
          Recent:{" "}
          {recents.map((r) => (
            <button type="button" class="chip" onClick={() => props.onPick(r)}>
              {r}
            </button>
          ))}
        </p>
      )}
      <ul class="voice-list" aria-label="Voices">
        {shown.map((v) => (
          <li class={v.name === props.value ? "selected" : ""} data-voice={v.name}>
            <button
              type="button"
              class="pick"
              aria-pressed={v.name === props.value}
              onClick={() => props.onPick(v.name)}
            >
              {v.name}{" "}
              <small>
                {languageName(v.language)}, {v.gender}
              </small>
            </button>
            <button
              type="button"
              class="icon preview"
              aria-label={`Preview ${v.name}`}
              onClick={() => props.onPreview(v.name)}
              disabled={!v.available}
            >
              {props.previewing === v.name ? "…" : "▶"}
            </button>
            <button
              type="button"
              class="icon fav"
              aria-label={`${favs.includes(v.name) ? "Unfavourite" : "Favourite"} ${v.name}`}
              aria-pressed={favs.includes(v.name)}
              onClick={() => {
                prefs.toggleFavourite(v.name);
                bump((n) => n + 1);
              }}
            >
              {favs.includes(v.name) ? "★" : "☆"}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Builds a weighted mix of two voices in the API's syntax, e.g. `af_bella(70)+am_adam(30)`. */
export function MixBuilder(props: { voices: Voice[]; onMix: (expr: string) => void }) {
  const [a, setA] = useState("af_heart");
  const [b, setB] = useState("am_adam");
  const [w, setW] = useState(50);
  const names = props.voices.map((v) => v.name);
  return (
    <fieldset class="mix">
      <legend>Mix two voices</legend>
      <div class="row wrap">
        <select aria-label="First voice of the mix" value={a} onChange={(e) => setA(e.currentTarget.value)}>
          {names.map((n) => (
            <option value={n}>{n}</option>
          ))}
        </select>
        <input
          type="range"
          min="5"
          max="95"
          step="5"
          value={w}
          aria-label="Weight of the first voice (percent)"
          onInput={(e) => setW(Number(e.currentTarget.value))}
        />
        <select aria-label="Second voice of the mix" value={b} onChange={(e) => setB(e.currentTarget.value)}>
          {names.map((n) => (
            <option value={n}>{n}</option>
          ))}
        </select>
        <button type="button" onClick={() => props.onMix(a === b ? a : `${a}(${w})+${b}(${100 - w})`)}>
          Use {w}/{100 - w}
        </button>
      </div>
    </fieldset>
  );
}
