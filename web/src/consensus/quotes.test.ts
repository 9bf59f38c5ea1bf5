import { describe, expect, it } from "vitest";
import { attributeChoices, clash, moveItem } from "./quotes";

describe("quotes", () => {
  it("moves a quote, clamping at the ends", () => {
    expect(moveItem(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(moveItem(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveItem(["a", "b", "c"], 1, 9)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 1, -3)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a"], 4, 0)).toEqual(["a"]);
  });

  it("lists attribute values, numbers as text in natural order", () => {
    const docs = [
      { attributes: { participant: "P10", gender: "F", age: 52 } },
      { attributes: { participant: "P2", gender: "M", site: "" } },
      { attributes: null },
    ];
    expect(attributeChoices(docs)).toEqual([
      { name: "age", values: ["52"] },
      { name: "gender", values: ["F", "M"] },
      { name: "participant", values: ["P2", "P10"] },
    ]);
  });

  it("retries a save when only another field changed", () => {
    expect(clash("Vi ringte.", "Vi ringte.")).toBe("retry");
    expect(clash("Vi ringte.", "Vi ringte en kollega.")).toBe("conflict");
  });
});
