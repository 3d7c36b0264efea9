/** The part of kuromoji 0.1.2's API we use (the package ships no types). */
declare module "kuromoji" {
  export interface IpadicFeatures {
    word_id: number;
    word_type: "KNOWN" | "UNKNOWN";
    /** 1-based position of the morpheme in the analysed text (UTF-16 units). */
    word_position: number;
    surface_form: string;
    pos: string;
    pos_detail_1: string;
    pos_detail_2: string;
    pos_detail_3: string;
    conjugated_type: string;
    conjugated_form: string;
    basic_form: string;
    reading?: string;
    pronunciation?: string;
  }
  export interface Tokenizer {
    tokenize(text: string): IpadicFeatures[];
  }
  export interface Builder {
    build(callback: (err: Error | null, tokenizer: Tokenizer) => void): void;
  }
  export function builder(options: { dicPath: string }): Builder;
  const kuromoji: { builder: typeof builder };
  export default kuromoji;
}
