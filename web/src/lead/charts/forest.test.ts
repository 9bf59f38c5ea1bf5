import { describe, expect, it } from "vitest";
import { forestRows, valueDomain } from "./forest";

const b = (label: string, value: number | null, lo: number | null = null, hi: number | null = null) => ({
  key: label,
  label,
  segmentCount: 4,
  coefficients: [
    {
      name: "UNITIZING_ALPHA_2004",
      value,
      undefinedReason: value === null ? "only one coder used it" : null,
      ciLow: lo,
      ciHigh: hi,
      qBelowMin: null,
      verdict: value === null ? "UNDEFINED" : "TENTATIVE",
    },
  ],
});

describe("forestRows", () => {
  it("orders worst first, keeps n and the reason when undefined", () => {
    const rows = forestRows([b("Good", 0.9), b("None", null), b("Bad", 0.1)], "UNITIZING_ALPHA_2004", (x) => `#${x.key}`);
    expect(rows.map((r) => r.label)).toEqual(["Bad", "Good", "None"]);
    expect(rows[2]).toMatchObject({ value: null, reason: "only one coder used it", n: 4, href: "#None" });
  });

  it("says when a breakdown lacks the coefficient", () => {
    const rows = forestRows([b("Good", 0.9)], "COHEN_KAPPA");
    expect(rows[0]).toMatchObject({ value: null, reason: "not computed for this breakdown" });
  });
});

describe("valueDomain", () => {
  it("reaches below the lowest whisker in steps of 0.2, never below −1", () => {
    const rows = forestRows([b("A", 0.5, -0.31, 0.7)], "UNITIZING_ALPHA_2004");
    expect(valueDomain(rows, [0.8, 0.667])).toEqual([-0.4, 1]);
    const wild = forestRows([b("A", -3)], "UNITIZING_ALPHA_2004");
    expect(valueDomain(wild, [0.8])).toEqual([-1, 1]);
    expect(valueDomain([], [0.8])).toEqual([0, 1]);
  });
});
