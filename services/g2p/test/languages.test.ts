/**
 * Kokoro's languages other than English through the whole g2p pipeline: which language a request
 * gets, espeak-ng's answers mapped as misaki maps them, English words inside other languages' text,
 * and the warning for a text that does not fit its language.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import type { Language } from "@kokoro-edge/proto";
import { phonemizeText } from "../src/engine";
import { resolveLanguage } from "../src/language";
import { languageWarnings } from "../src/language-fit";
import { espeakIpaToKokoro, splitAnswer } from "../src/pronounce/espeak-languages";
import { resources } from "./shared";

const espeak = spawnSync("espeak-ng", ["--version"]).status === 0;

const read = async (text: string, language: Language) =>
  phonemizeText(text, { language, firstChunkTokens: 30, chunkTokens: 200 }, await resources(language));

describe("language of a request", () => {
  test("the voice's first letter picks one of the nine languages", () => {
    const byVoice: Record<string, Language> = {
      af_heart: "en-us",
      bm_george: "en-gb",
      ef_dora: "es",
      ff_siwis: "fr-fr",
      hf_alpha: "hi",
      if_sara: "it",
      jf_alpha: "ja",
      pm_alex: "pt-br",
      zf_xiaobei: "zh",
    };
    for (const [voice, language] of Object.entries(byVoice))
      expect(resolveLanguage(undefined, voice)).toBe(language);
  });

  test("`language` wins over the voice, and takes tags, letters and names", () => {
    expect(resolveLanguage("es", "af_heart")).toBe("es");
    expect(resolveLanguage("FR", undefined)).toBe("fr-fr");
    expect(resolveLanguage("zh-CN", undefined)).toBe("zh");
    expect(resolveLanguage("p", undefined)).toBe("pt-br");
    expect(resolveLanguage("Japanese", undefined)).toBe("ja");
    expect(() => resolveLanguage("de", undefined)).toThrow(/not supported/);
    expect(() => resolveLanguage("constructor", undefined)).toThrow(/not supported/);
    expect(() => resolveLanguage(undefined, "xx_nobody")).toThrow(/Cannot tell the language/);
  });
});

describe("espeak-ng's IPA in Kokoro's alphabet (misaki's EspeakG2P, Kokoro v1.0)", () => {
  test("tied pairs become one symbol; leftover ties and hyphens go", () => {
    expect(espeakIpaToKokoro("mˈut^ʃo")).toBe("mˈuʧo");
    expect(espeakIpaToKokoro("d^ʒˈorno")).toBe("ʤˈorno");
    expect(espeakIpaToKokoro("pˈit^sːa")).toBe("pˈiʦːa");
    expect(espeakIpaToKokoro("tʃˈa^ʊ")).toBe("tʃˈW");
    expect(espeakIpaToKokoro("kˌoɾasˈɐ̃^ʊ̃")).toBe("kˌoɾasˈɐ̃ʊ̃");
    expect(espeakIpaToKokoro("le-z")).toBe("lez");
    expect(espeakIpaToKokoro("bˈe^ɪ")).toBe("bˈA");
  });

  test("an answer splits into words, noting those read in another language", () => {
    expect(splitAnswer("(en)ˈəʊla(hi) hˈɛ", "hi")).toEqual([
      { ipa: "ˈəʊla", foreign: true },
      { ipa: "hˈɛ", foreign: false },
    ]);
    expect(splitAnswer("el (en)wˈɜːld tˈuːdeɪ(es) es", "es")).toEqual([
      { ipa: "el", foreign: false },
      { ipa: "wˈɜːld", foreign: true },
      { ipa: "tˈuːdeɪ", foreign: true },
      { ipa: "es", foreign: false },
    ]);
    expect(splitAnswer("  ", "es")).toEqual([]);
  });
});

(espeak ? describe : describe.skip)("texts in es, fr-fr, hi, it and pt-br", () => {
  test("each is read by espeak-ng in its own language, word by word with spans", async () => {
    const cases: Array<[Language, string, string]> = [
      ["es", "Hola, ¿cómo estás?", "kˈomo"],
      ["fr-fr", "Bonjour, les amis !", "bɔ̃ʒˈuʁ"],
      ["it", "Ciao, come stai?", "ʧˈao"],
      ["pt-br", "Meu coração.", "kˌoɾasˈɐ̃ʊ̃"],
      ["hi", "नमस्ते, आप कैसे हैं?", "nəmˈʌsteː"],
    ];
    for (const [language, text, expected] of cases) {
      const r = await read(text, language);
      expect(r.language).toBe(language);
      expect(r.phonemes).toContain(expected);
      for (const c of r.chunks)
        for (const w of c.words) {
          expect(text.slice(w.start, w.end)).toBe(w.text);
          if (/\p{L}/u.test(w.text)) expect(w.phonemes).not.toBe("");
        }
    }
  });

  test("a phrase is read together: French liaison and unstressed articles, as misaki's whole-text reading gives", async () => {
    const fr = await read("les amis", "fr-fr");
    expect(fr.chunks[0]!.words.map((w) => w.phonemes)).toEqual(["lez", "amˈi"]);
    const es = await read("de la casa", "es");
    expect(es.chunks[0]!.words.map((w) => w.phonemes)).toEqual(["de", "la", "kˈasa"]);
  });

  test("English words inside Hindi text are said with English's rules; inside Spanish, as espeak-ng reads them", async () => {
    const hi = await read("मुझे Netflix पसंद है", "hi");
    const netflix = hi.chunks.flatMap((c) => c.words).find((w) => w.text === "Netflix")!;
    const en = await read("Netflix", "en-us");
    expect(netflix.phonemes).toBe(en.phonemes);
    const es = await read("Veo Netflix", "es");
    expect(es.chunks[0]!.words[1]!.phonemes).not.toBe("");
  });

  test("every symbol produced is in Kokoro's vocab, and tokens match the phonemes", async () => {
    const { vocab } = await resources("es");
    for (const [language, text] of [
      ["es", "El niño comió jamón y piña en la montaña."],
      ["fr-fr", "Où est la gare ? Je voudrais un pain au chocolat."],
      ["it", "Gli gnocchi sono buonissimi, grazie mille."],
      ["pt-br", "Não sei se ela vem amanhã, mas tudo bem."],
      ["hi", "भारत एक विशाल देश है और यहाँ कई भाषाएँ बोली जाती हैं।"],
    ] as const) {
      const r = await read(text, language);
      for (const c of r.chunks) {
        expect(vocab.clean(c.phonemes)).toBe(c.phonemes);
        expect(c.tokens).toEqual(vocab.encode(c.phonemes));
      }
    }
  });
});

describe("a text that does not fit its language gets a warning", () => {
  test("another script", () => {
    expect(languageWarnings("Привет, как дела?", "es")[0]).toContain("Cyrillic");
    expect(languageWarnings("今日はいい天気ですね", "es")[0]).toContain('"language": "ja"');
    expect(languageWarnings("नमस्ते दुनिया", "fr-fr")[0]).toContain('"language": "hi"');
    expect(languageWarnings("Hello there, my friend", "ja")[0]).toContain("Latin");
  });

  test("Japanese read as Mandarin and the other way round", () => {
    expect(languageWarnings("今日はいい天気ですね", "zh")[0]).toContain('"language": "ja"');
    expect(languageWarnings("我们今天去北京吃饭", "ja")[0]).toContain('"language": "zh"');
  });

  test("another Latin-script language, by its function words", () => {
    expect(languageWarnings("The cat is on the table and it is not happy with the dog.", "es")[0]).toContain(
      "looks like English",
    );
    expect(languageWarnings("El perro y el gato están en la casa con los niños.", "en-us")[0]).toContain(
      "looks like Spanish",
    );
  });

  test("a text that fits, or is too short to tell, gets none", () => {
    expect(languageWarnings("El perro y el gato están en la casa.", "es")).toEqual([]);
    expect(languageWarnings("Le chat est sur la table avec les enfants.", "fr-fr")).toEqual([]);
    expect(languageWarnings("Ok", "fr-fr")).toEqual([]);
    expect(languageWarnings("Me gusta Netflix.", "es")).toEqual([]);
    expect(languageWarnings("我用iPhone打电话", "zh")).toEqual([]);
    expect(languageWarnings("12345 !!!", "hi")).toEqual([]);
  });
});
