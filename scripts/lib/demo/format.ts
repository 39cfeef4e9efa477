/** Number formatting shared by the demo's terminal output and its HTML report. */

/** `$1,234.56`, `-$12.00`. */
export function usd(value: number): string {
  const amount = Math.abs(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value < 0 && amount !== "0.00" ? "-" : ""}$${amount}`;
}

/** Fixed digits with an explicit sign (`+1.25`, `-0.40`, `0.00`: never `-0.00`); "n/a" for null. */
export function signed(value: number | null, digits: number): string {
  if (value === null) return "n/a";
  const text = value.toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return value > 0 ? `+${text}` : text;
}
