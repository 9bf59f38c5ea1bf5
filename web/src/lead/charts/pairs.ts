// The coder-pair matrix: the report's pairs ("a|b" keys of coder ids) as a square grid.
import { scaleLinear } from "d3-scale";
import { type Breakdown, coefficientOf } from "../agreement/coefficients";

export interface PairCell {
  a: string;
  b: string;
  value: number | null;
  reason: string | null;
  verdict: string | null;
  n: number;
  href: string | null;
}

export interface PairGrid {
  coders: string[];
  /** cells[i][j]: coders i and j; null on the diagonal and for pairs never compared. */
  cells: (PairCell | null)[][];
}

export function pairGrid(
  coders: readonly string[],
  pairs: readonly Breakdown[],
  key: string | null,
  href: (a: string, b: string) => string | null = () => null,
): PairGrid {
  const found = new Map<string, PairCell>();
  for (const pair of pairs) {
    const [a, b] = pair.key.split("|");
    if (a === undefined || b === undefined) continue;
    const c = coefficientOf(pair, key);
    const cell = {
      a,
      b,
      value: c?.value ?? null,
      reason: c?.undefinedReason ?? null,
      verdict: c ? c.verdict : "UNDEFINED",
      n: pair.segmentCount,
      href: href(a, b),
    };
    found.set(`${a}|${b}`, cell);
    found.set(`${b}|${a}`, cell);
  }
  return {
    coders: [...coders],
    cells: coders.map((a) => coders.map((b) => (a === b ? null : (found.get(`${a}|${b}`) ?? null)))),
  };
}

const shade = scaleLinear<string>().domain([0, 1]).range(["#eef4fa", "#0b3f73"]).clamp(true);

/** A cell's fill and the text colour that reads on it. */
export function cellColors(value: number | null): { fill: string; text: string } {
  if (value === null) return { fill: "#f2f2f2", text: "#3d3d3d" };
  return { fill: shade(value), text: value > 0.5 ? "#ffffff" : "#111111" };
}
