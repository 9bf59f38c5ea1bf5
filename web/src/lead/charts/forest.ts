// The rows of a forest plot and the axis they share: plain data, tested without a browser.
import { scaleLinear } from "d3-scale";
import { type Breakdown, coefficientOf, worstFirst } from "../agreement/coefficients";

export interface ForestRow {
  key: string;
  label: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Coded segments the value rests on. */
  n: number;
  /** Why there is no value. */
  reason: string | null;
  verdict: string | null;
  /** Where the row's label leads (a drill-down), if anywhere. */
  href: string | null;
}

/** Breakdowns as forest rows for one coefficient, worst first. */
export function forestRows(
  items: readonly Breakdown[],
  key: string | null,
  href: (b: Breakdown) => string | null = () => null,
): ForestRow[] {
  return worstFirst(items, key).map((b) => {
    const c = coefficientOf(b, key);
    return {
      key: b.key,
      label: b.label,
      value: c?.value ?? null,
      ciLow: c?.ciLow ?? null,
      ciHigh: c?.ciHigh ?? null,
      n: b.segmentCount,
      reason: c ? c.undefinedReason : "not computed for this breakdown",
      verdict: c ? c.verdict : "UNDEFINED",
      href: href(b),
    };
  });
}

/** The value axis: always up to 1, down to 0 or below the lowest value or whisker (in
 * steps of 0.2, never below −1), and always showing the thresholds. */
export function valueDomain(rows: readonly ForestRow[], thresholds: readonly number[]): [number, number] {
  const values = rows.flatMap((r) => [r.value, r.ciLow, r.ciHigh]).filter((v): v is number => v !== null);
  const low = Math.min(0, ...values, ...thresholds);
  return [Math.max(-1, Math.floor(low * 5) / 5), 1];
}

export function axis(domain: [number, number], width: number) {
  const x = scaleLinear().domain(domain).range([0, width]).clamp(true);
  return { x, ticks: x.ticks(domain[0] < -0.5 ? 6 : 5) };
}
