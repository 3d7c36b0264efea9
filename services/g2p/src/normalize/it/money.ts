/** Italian currencies: "25 €" venticinque euro (invariable), "1 €" un euro, "10,50 €" dieci euro e cinquanta centesimi. */
import { currencyTable } from "../romance/money";
import type { Currency } from "../romance/types";

const EURO: Currency = { one: "euro", many: "euro", subOne: "centesimo", subMany: "centesimi" };
const DOLLAR: Currency = { one: "dollaro", many: "dollari", subOne: "centesimo", subMany: "centesimi" };
const POUND: Currency = {
  one: "sterlina",
  many: "sterline",
  subOne: "penny",
  subMany: "pence",
  feminine: true,
};
const YEN: Currency = { one: "yen", many: "yen", subOne: "sen", subMany: "sen" };
const REAL: Currency = { one: "real", many: "reais", subOne: "centavo", subMany: "centavos" };

export const CURRENCIES = currencyTable({ euro: EURO, dollar: DOLLAR, pound: POUND, yen: YEN, real: REAL });

export const MONEY_WORDS = {
  centsJoin: "e",
  scaleOf: "di",
  scaleNouns: new Set([
    "milione",
    "milioni",
    "miliardo",
    "miliardi",
    "bilione",
    "bilioni",
    "biliardo",
    "biliardi",
  ]),
};
