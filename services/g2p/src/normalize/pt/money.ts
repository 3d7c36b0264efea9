/** Brazilian currencies: "R$ 10,50" dez reais e cinquenta centavos, "R$ 1,00" um real, "R$ 1.000.000" um milhão de reais. */
import { currencyTable } from "../romance/money";
import type { Currency } from "../romance/types";

const REAL: Currency = { one: "real", many: "reais", subOne: "centavo", subMany: "centavos" };
const EURO: Currency = { one: "euro", many: "euros", subOne: "centavo", subMany: "centavos" };
const DOLLAR: Currency = { one: "dólar", many: "dólares", subOne: "centavo", subMany: "centavos" };
const POUND: Currency = {
  one: "libra",
  many: "libras",
  subOne: "centavo",
  subMany: "centavos",
  feminine: true,
};
const YEN: Currency = { one: "iene", many: "ienes", subOne: "sen", subMany: "sen" };

export const CURRENCIES = currencyTable({ euro: EURO, dollar: DOLLAR, pound: POUND, yen: YEN, real: REAL });

export const MONEY_WORDS = {
  centsJoin: "e",
  scaleOf: "de",
  scaleNouns: new Set([
    "milhão",
    "milhões",
    "bilhão",
    "bilhões",
    "trilhão",
    "trilhões",
    "quatrilhão",
    "quatrilhões",
  ]),
};
