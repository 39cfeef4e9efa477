/** Risk stage: Black–Scholes greeks (with a risk-free rate, default 0) and book aggregation. Pure, float64, no I/O. */
export {
  normCdf,
  normPdf,
  bsCall,
  bsPut,
  bsGreeks,
  writeGreeks,
  assertRate,
  MAX_ABS_RATE_ANNUAL,
  type Greeks,
  type GreekArrays,
} from "./blackScholes.js";
export { bookFromRows, evaluateBook, allocateGreekArrays, type Book, type BookRow, type BookRisk } from "./book.js";
