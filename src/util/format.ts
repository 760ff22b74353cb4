/**
 * How a number is written wherever a person reads it (report tables, a claim's measured line):
 *  - undefined, null, NaN                  -> "—" (em dash)
 *  - +Infinity / -Infinity                 -> "∞" / "-∞"
 *  - 0 (and -0)                            -> "0"
 *  - integers with |x| < 1e6               -> printed exactly ("7854"): counts are never rounded
 *  - otherwise round to `digits` significant digits (default 3), then
 *      1e-4 <= |x| < 1e6  -> fixed notation, trailing zeros kept as significant
 *                            (fmt(0.000123456, 3) === "0.000123", fmt(0.5, 3) === "0.500",
 *                             fmt(12345.6, 3) === "12300")
 *      else               -> exponent notation without "+" ("1.23e-7", "4.56e8")
 */

export const MISSING = '—';

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === undefined || x === null || Number.isNaN(x)) return MISSING;
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0';
  const d = Math.min(21, Math.max(1, Math.floor(digits)));
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const r = Number(x.toPrecision(d));
  const a = Math.abs(r);
  if (a >= 1e-4 && a < 1e6) {
    const e = Math.floor(Math.log10(a));
    return r.toFixed(Math.max(0, d - 1 - e));
  }
  return r.toExponential(d - 1).replace('e+', 'e');
}
