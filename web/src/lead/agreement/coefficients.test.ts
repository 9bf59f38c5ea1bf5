import { describe, expect, it } from "vitest";
import { type Breakdown, type Coefficient, chartKey, formatShare, verdictInWords, verdictLabel, worstFirst } from "./coefficients";

const coefficient = (name: string, value: number | null, extra: object = {}): Coefficient => ({
  name,
  value,
  undefinedReason: value === null ? "no variation" : null,
  ciLow: null,
  ciHigh: null,
  qBelowMin: null,
  verdict: "RELIABLE" as string | null,
  ...extra,
});

const breakdown = (label: string, value: number | null): Breakdown => ({
  key: label,
  label,
  segmentCount: 2,
  coefficients: [coefficient("UNITIZING_ALPHA_2004", value), coefficient("K_U_ALPHA", 0.5)],
});

describe("worstFirst", () => {
  it("puts the lowest value first and undefined values last", () => {
    const items = [breakdown("B", 0.9), breakdown("A", null), breakdown("C", 0.2), breakdown("D", 0.2)];
    expect(worstFirst(items, "UNITIZING_ALPHA_2004").map((b) => b.label)).toEqual(["C", "D", "B", "A"]);
  });
});

describe("chartKey", () => {
  it("prefers the headline, then an α", () => {
    const items = [breakdown("A", 0.5)];
    expect(chartKey(items)).toBe("UNITIZING_ALPHA_2004");
    expect(chartKey(items, "K_U_ALPHA")).toBe("K_U_ALPHA");
    expect(chartKey([])).toBeNull();
  });
});

describe("verdictInWords", () => {
  it("says what each verdict means", () => {
    expect(verdictInWords(coefficient("U_ALPHA", 0.85), 0.8)).toContain("rely on this coding");
    expect(verdictInWords(coefficient("U_ALPHA", 0.7), 0.8)).toContain("tentative");
    expect(verdictInWords(coefficient("U_ALPHA", 0.4), 0.8)).toContain("do not agree well enough");
    expect(verdictInWords(coefficient("U_ALPHA", null), 0.8)).toContain("undefined: no variation");
  });

  it("gives no verdict where no published threshold applies", () => {
    const bp = verdictInWords(coefficient("BRENNAN_PREDIGER", 0.95, { verdict: null }), 0.8);
    expect(bp).toContain("no verdict");
    expect(bp).not.toContain("rely on this coding");
    expect(verdictLabel(null)).toBe("No verdict");
    expect(verdictLabel("NOT_RELIABLE")).toBe("Not reliable");
  });

  it("gives the interval and q when there is one", () => {
    const c = coefficient("U_ALPHA", 0.82, { ciLow: 0.75, ciHigh: 0.88, qBelowMin: 0.31 });
    expect(verdictInWords(c, 0.8)).toContain("from 0.750 to 0.880, and the chance that the true value is below α_min is 31%.");
  });
});

describe("formatShare", () => {
  it("never rounds a small chance to zero", () => {
    expect(formatShare(0.001)).toBe("under 1%");
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(null)).toBe("—");
  });
});
