/** Per-browser preferences in localStorage: theme, variant, favourite and recent voices. Never throws (private mode). */
const get = (k: string) => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const set = (k: string, v: string) => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* storage unavailable */
  }
};
const list = (k: string): string[] => {
  try {
    const v = JSON.parse(get(k) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
};

export const prefs = {
  theme: () => get("studio.theme") ?? "",
  setTheme: (t: string) => set("studio.theme", t),
  variant: () => get("studio.variant") ?? "",
  setVariant: (v: string) => set("studio.variant", v),
  favourites: () => list("studio.favourites"),
  toggleFavourite(v: string) {
    const f = list("studio.favourites");
    set("studio.favourites", JSON.stringify(f.includes(v) ? f.filter((x) => x !== v) : [...f, v]));
  },
  recents: () => list("studio.recents"),
  addRecent(v: string) {
    set("studio.recents", JSON.stringify([v, ...list("studio.recents").filter((x) => x !== v)].slice(0, 8)));
  },
  lastProject: () => get("studio.project") ?? "",
  setLastProject: (id: string) => set("studio.project", id),
};
