/** Spanish currencies: "25 €" veinticinco euros, "1 €" un euro, "10,50 $" diez dólares con cincuenta centavos. */
import { currencyTable } from "../romance/money";
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

export const CURRENCIES = currencyTable({ euro: EURO, dollar: DOLLAR, pound: POUND, yen: YEN, real: REAL });

export const MONEY_WORDS = {
  centsJoin: "con",
  scaleOf: "de",
  scaleNouns: new Set(["millón", "millones", "billón", "billones", "trillón", "trillones"]),
};
