import { describe, expect, it } from "vitest";
import { cellColors, pairGrid } from "./pairs";

const pair = (key: string, value: number | null) => ({
  key,
  label: key,
  segmentCount: 3,
  coefficients: [{ name: "U_ALPHA", value, undefinedReason: null, ciLow: null, ciHigh: null, qBelowMin: null, verdict: "RELIABLE" }],
});

describe("pairGrid", () => {
  it("fills both halves, leaves the diagonal and unpaired coders empty", () => {
    const grid = pairGrid(["a", "b", "c"], [pair("a|b", 0.7)], "U_ALPHA", (a, b) => `${a}-${b}`);
    expect(grid.cells[0]?.[1]?.value).toBe(0.7);
    expect(grid.cells[1]?.[0]?.value).toBe(0.7);
    expect(grid.cells[0]?.[0]).toBeNull();
    expect(grid.cells[0]?.[2]).toBeNull();
    expect(grid.cells[1]?.[0]?.href).toBe("a-b");
  });
});

describe("cellColors", () => {
  it("puts light text on dark cells", () => {
    expect(cellColors(0.9).text).toBe("#ffffff");
    expect(cellColors(0.1).text).toBe("#111111");
    expect(cellColors(null).fill).toBe("#f2f2f2");
  });
});
