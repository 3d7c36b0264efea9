/** Spanish currencies: "25 €" veinticinco euros, "1 €" un euro, "10,50 $" diez dólares con cincuenta centavos. */
import type { Currency } from "../romance/types";

const EURO: Currency = { one: "euro", many: "euros", subOne: "céntimo", subMany: "céntimos" };
const DOLLAR: Currency = { one: "dólar", many: "dólares", subOne: "centavo", subMany: "centavos" };
const POUND: Currency = {
  one: "libra",
  many: "libras",
  subOne: "penique",
  subMany: "peniques",
  feminine: true,
};
const YEN: Currency = { one: "yen", many: "yenes", subOne: "sen", subMany: "sen" };
const REAL: Currency = { one: "real", many: "reales", subOne: "centavo", subMany: "centavos" };

export const CURRENCIES: Record<string, Currency> = {
  "€": EURO,
  EUR: EURO,
  $: DOLLAR,
  US$: DOLLAR,
  USD: DOLLAR,
  "£": POUND,
  GBP: POUND,
  "¥": YEN,
  JPY: YEN,
  R$: REAL,
  BRL: REAL,
};

export const MONEY_WORDS = {
  centsJoin: "con",
  scaleOf: "de",
  scaleNouns: new Set(["millón", "millones", "billón", "billones", "trillón", "trillones"]),
};
