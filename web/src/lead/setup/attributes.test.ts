import { describe as group, expect, it } from "vitest";
import { describe, fromRows, toRows } from "./attributes";

group("attributes as rows", () => {
  it("round-trips text, numbers and booleans; a leading zero stays text", () => {
    const attributes = { participant: "P07", age: 41, consent: true, note: "041" };
    expect(fromRows(toRows(attributes))).toEqual({ attributes });
  });

  it("keeps text that only looks like JSON in part", () => {
    expect(fromRows([{ key: "site", value: "Bergen 2" }])).toEqual({ attributes: { site: "Bergen 2" } });
  });

  it("drops blank keys and refuses a repeated one", () => {
    expect(fromRows([{ key: " ", value: "x" }])).toEqual({ attributes: {} });
    expect(fromRows([{ key: "a", value: "1" }, { key: "a ", value: "2" }])).toEqual({ error: "The attribute “a” appears twice." });
  });

  it("reads as a line", () => {
    expect(describe({ participant: "P07", age: 41 })).toBe("participant: P07; age: 41");
    expect(describe(null)).toBe("");
  });
});
