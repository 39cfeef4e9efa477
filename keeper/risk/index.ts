/** Risk stage: Black–Scholes greeks (r = 0) and book aggregation. Pure, float64, no I/O. */
export {
  normCdf,
  normPdf,
  bsCall,
  bsPut,
  bsGreeks,
  writeGreeks,
  type Greeks,
  type GreekArrays,
} from "./blackScholes.js";
export { bookFromRows, evaluateBook, allocateGreekArrays, type Book, type BookRow, type BookRisk } from "./book.js";
