/** Hindi tables: months, currencies, abbreviations, units and symbols said as words. */

export const MONTHS = [
  "जनवरी",
  "फ़रवरी",
  "मार्च",
  "अप्रैल",
  "मई",
  "जून",
  "जुलाई",
  "अगस्त",
  "सितंबर",
  "अक्टूबर",
  "नवंबर",
  "दिसंबर",
];

export interface Currency {
  one: string;
  many: string;
  /** The hundredth, said after the main unit ("पचास पैसे"). */
  cent: string;
}

const RUPEE: Currency = { one: "रुपया", many: "रुपये", cent: "पैसे" };
/** Currency signs and names written before (or after) an amount. */
export const CURRENCIES: Record<string, Currency> = {
  "₹": RUPEE,
  Rs: RUPEE,
  "Rs.": RUPEE,
  rs: RUPEE,
  "rs.": RUPEE,
  INR: RUPEE,
  रु: RUPEE,
  "रु.": RUPEE,
  $: { one: "डॉलर", many: "डॉलर", cent: "सेंट" },
  US$: { one: "डॉलर", many: "डॉलर", cent: "सेंट" },
  "€": { one: "यूरो", many: "यूरो", cent: "सेंट" },
  "£": { one: "पाउंड", many: "पाउंड", cent: "पेंस" },
};

/** Scale words written after a figure ("₹5 लाख", "2 करोड़"). */
export const SCALE_WORDS = new Set(["सौ", "हज़ार", "हजार", "लाख", "करोड़", "करोड", "अरब", "खरब"]);

export interface Abbreviation {
  words: string[];
  /** May also end a sentence ("आदि."). */
  end?: boolean;
  /** A name follows: the period never ends the sentence. */
  title?: boolean;
}

/** Abbreviations with their period, matched as written (Latin ones also lowercased). */
export const ABBREVIATIONS: Record<string, Abbreviation> = {
  "डॉ.": { words: ["डॉक्टर"], title: true },
  "डा.": { words: ["डॉक्टर"], title: true },
  "प्रो.": { words: ["प्रोफ़ेसर"], title: true },
  "श्री.": { words: ["श्री"], title: true },
  "सं.": { words: ["संपादक"] },
  "कि.मी.": { words: ["किलोमीटर"], end: true },
  "कि.ग्रा.": { words: ["किलोग्राम"], end: true },
  "ई.पू.": { words: ["ईसा", "पूर्व"], end: true },
  "ई.": { words: ["ईसवी"], end: true },
  "रु.": { words: ["रुपये"] },
  "dr.": { words: ["डॉक्टर"], title: true },
  "mr.": { words: ["मिस्टर"], title: true },
  "mrs.": { words: ["मिसेज़"], title: true },
  "prof.": { words: ["प्रोफ़ेसर"], title: true },
  "rs.": { words: ["रुपये"] },
  "etc.": { words: ["वगैरह"], end: true },
  "no.": { words: ["नंबर"] },
};

/** Units after a number (same word singular and plural). */
export const UNITS: Record<string, string[]> = {
  km: ["किलोमीटर"],
  किमी: ["किलोमीटर"],
  kg: ["किलो"],
  किग्रा: ["किलोग्राम"],
  m: ["मीटर"],
  cm: ["सेंटीमीटर"],
  g: ["ग्राम"],
  l: ["लीटर"],
  "°C": ["डिग्री", "सेल्सियस"],
  "°": ["डिग्री"],
};

export const SYMBOLS: Record<string, string[]> = {
  "&": ["और"],
  "%": ["प्रतिशत"],
  "+": ["प्लस"],
  "=": ["बराबर"],
  "@": ["एट"],
  "₹": ["रुपये"],
  $: ["डॉलर"],
  "°": ["डिग्री"],
  "×": ["गुणा"],
};
