import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyMatch, highlightRuns } from "./fuzzy";

describe("fuzzyMatch", () => {
  it("finds the query's characters in order, ignoring case and accents", () => {
    expect(fuzzyMatch("cdbk", "Codebook")).not.toBeNull();
    expect(fuzzyMatch("kbdc", "Codebook")).toBeNull();
    expect(fuzzyMatch("cafe", "Café au lait")?.positions).toEqual([0, 1, 2, 3]);
  });
  it("keeps ø and æ as letters of their own", () => {
    expect(fuzzyMatch("o", "Ø")).toBeNull();
    expect(fuzzyMatch("ø", "Øvre")).not.toBeNull();
  });
  it("ignores spaces in the query", () => {
    expect(fuzzyMatch("go proj", "Go to projects")).not.toBeNull();
  });
  it("gives positions in UTF-16 units, after an emoji", () => {
    expect(fuzzyMatch("ab", "😀ab")?.positions).toEqual([2, 3]);
  });
  it("matches everything with an empty query", () => {
    expect(fuzzyMatch("", "Anything")).toEqual({ score: 0, positions: [] });
  });
});

describe("fuzzyFilter", () => {
  const labels = ["Log out", "Go to projects", "Show keyboard shortcuts", "Switch to the dark theme"];
  it("puts word starts and runs first", () => {
    const found = fuzzyFilter(labels, "dark", (l) => l).map((f) => f.item);
    expect(found[0]).toBe("Switch to the dark theme");
    expect(fuzzyFilter(labels, "lo", (l) => l)[0]?.item).toBe("Log out");
    expect(fuzzyFilter(labels, "sks", (l) => l)[0]?.item).toBe("Show keyboard shortcuts");
  });
  it("keeps the given order for an empty query", () => {
    expect(fuzzyFilter(labels, "", (l) => l).map((f) => f.item)).toEqual(labels);
  });
  it("drops what does not match", () => {
    expect(fuzzyFilter(labels, "zzz", (l) => l)).toEqual([]);
  });
});

describe("highlightRuns", () => {
  it("splits text into matched and unmatched runs", () => {
    expect(highlightRuns("Codebook", [0, 2, 3])).toEqual([
      { text: "C", hit: true },
      { text: "o", hit: false },
      { text: "de", hit: true },
      { text: "book", hit: false },
    ]);
  });
});
