import { describe, expect, it } from "vitest";
import { CONSENSUS, itemExtent, laneBudget, layersOf, pickedItem, reviewSpans, type LayerItem } from "./layers";

const items: LayerItem[] = [
  {
    key: "a",
    start: 10,
    end: 20,
    segments: [
      { codingId: "1", coderId: "ingrid", codeId: "relief", start: 8, end: 20 },
      { codingId: "2", coderId: "lars", codeId: "relief", start: 10, end: 22 },
    ],
    consensusCodings: [{ id: "k1", start: 10, end: 20, code: { id: "relief" } }],
  },
  {
    key: "b",
    start: 0,
    end: 5,
    segments: [
      { codingId: "3", coderId: "ingrid", codeId: "stigma", start: 0, end: 5 },
      // The same coding listed again in another item is drawn once.
      { codingId: "1", coderId: "ingrid", codeId: "relief", start: 8, end: 20 },
    ],
    consensusCodings: [],
  },
];

describe("layersOf", () => {
  it("gives each coder a line style and the consensus one of its own", () => {
    const layers = layersOf([
      { id: "ingrid", name: "Ingrid" },
      { id: "lars", name: "Lars" },
      { id: "ola", name: "Ola" },
      { id: "kari", name: "Kari" },
    ]);
    expect(layers.map((l) => l.line)).toEqual(["solid", "dotted", "dashed", "solid", "dash-dot"]);
    expect(layers.at(-1)?.key).toBe(CONSENSUS);
    expect(new Set(layers.map((l) => l.pattern)).size).toBe(4);
  });
});

describe("reviewSpans", () => {
  it("lists each coding once, in reading order, with its item", () => {
    const { spans, itemOf } = reviewSpans(items, new Set(["ingrid", "lars", CONSENSUS]));
    expect(spans.map((s) => s.id)).toEqual(["c:3", "c:1", "c:2", "k:k1"]);
    expect(itemOf.get("c:1")).toBe("a");
    expect(itemOf.get("c:3")).toBe("b");
    expect(spans.find((s) => s.id === "k:k1")?.layer).toBe(CONSENSUS);
  });

  it("leaves out the layers that are switched off", () => {
    const { spans } = reviewSpans(items, new Set(["lars"]));
    expect(spans.map((s) => s.id)).toEqual(["c:2"]);
  });
});

describe("itemExtent", () => {
  it("covers the item and every coding in it", () => {
    expect(itemExtent(items[0] as LayerItem)).toEqual({ start: 8, end: 22 });
  });
});

describe("laneBudget", () => {
  it("draws every band, at least three lanes", () => {
    const { spans } = reviewSpans(items, new Set(["ingrid", "lars", CONSENSUS]));
    expect(laneBudget(spans, ["ingrid", "lars", CONSENSUS])).toBe(3);
    expect(laneBudget([], [])).toBe(3);
  });
});

describe("pickedItem", () => {
  const itemOf = new Map([
    ["c:1", "a"],
    ["c:2", "a"],
    ["c:3", "b"],
  ]);
  it("takes the top item under the click", () => {
    expect(pickedItem(["c:3", "c:1"], itemOf, null)).toBe("b");
  });
  it("moves on from the current item to the next one stacked there", () => {
    expect(pickedItem(["c:1", "c:2", "c:3"], itemOf, "a")).toBe("b");
    expect(pickedItem(["c:1", "c:3"], itemOf, "b")).toBe("a");
  });
  it("finds nothing off the items", () => {
    expect(pickedItem(["x"], itemOf, null)).toBeNull();
  });
});
