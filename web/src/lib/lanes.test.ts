import { describe, expect, it } from "vitest";
import {
  type Span,
  bucketByBlock,
  byPosition,
  cycle,
  neighbour,
  packLanes,
  pieces,
  spansAt,
} from "./lanes";

const span = (id: string, start: number, end: number, layer = "me", codeId = "c"): Span => ({
  id,
  start,
  end,
  codeId,
  layer,
});

describe("packLanes", () => {
  it("gives overlapping spans different lanes and reuses freed ones", () => {
    const spans = [span("a", 0, 10), span("b", 5, 15), span("c", 12, 20), span("d", 8, 9)];
    const { lane, laneCount } = packLanes(spans);
    expect(lane.get("a")).toBe(0);
    expect(lane.get("b")).toBe(1);
    expect(lane.get("d")).toBe(2);
    expect(lane.get("c")).toBe(0);
    expect(laneCount).toBe(3);
    // No two spans that overlap share a lane.
    for (const x of spans)
      for (const y of spans)
        if (x !== y && x.start < y.end && y.start < x.end) expect(lane.get(x.id)).not.toBe(lane.get(y.id));
  });

  it("treats touching spans as not overlapping", () => {
    const { lane } = packLanes([span("a", 0, 5), span("b", 5, 9)]);
    expect(lane.get("a")).toBe(lane.get("b"));
  });

  it("puts the longer of two spans with one start on top", () => {
    const { lane } = packLanes([span("short", 0, 3), span("long", 0, 30)]);
    expect(lane.get("long")).toBe(0);
  });

  it("keys lanes by layer: each coder gets a band, in the order asked", () => {
    const spans = [span("a1", 0, 10, "ann"), span("b1", 0, 10, "bo"), span("a2", 2, 4, "ann")];
    const layout = packLanes(spans, (s) => s.layer, ["bo", "ann", "consensus"]);
    expect(layout.groups.map((g) => [g.key, g.first, g.count])).toEqual([
      ["bo", 0, 1],
      ["ann", 1, 2],
      ["consensus", 3, 0],
    ]);
    expect(layout.lane.get("b1")).toBe(0);
    expect(layout.lane.get("a1")).toBe(1);
    expect(layout.lane.get("a2")).toBe(2);
    expect(layout.laneCount).toBe(3);
  });

  it("packs 20,000 spans", () => {
    const spans = Array.from({ length: 20_000 }, (_, i) => span(`s${i}`, i * 10, i * 10 + 25));
    const { laneCount, lane } = packLanes(spans);
    expect(laneCount).toBe(3);
    expect(lane.size).toBe(20_000);
  });
});

describe("pieces and buckets", () => {
  it("tiles a block at every boundary, each piece listing its spans by lane", () => {
    const spans = [span("a", 2, 8), span("b", 5, 12)];
    const { lane } = packLanes(spans);
    expect(pieces(0, 10, spans, lane)).toEqual([
      { start: 0, end: 2, ids: [] },
      { start: 2, end: 5, ids: ["a"] },
      { start: 5, end: 8, ids: ["a", "b"] },
      { start: 8, end: 10, ids: ["b"] },
    ]);
  });

  it("lists a span in every block it touches", () => {
    const blocks = [
      { start: 0, end: 10 },
      { start: 11, end: 20 },
      { start: 21, end: 30 },
    ];
    const spans = [span("a", 5, 25), span("b", 12, 13), span("c", 10, 11)].sort(byPosition);
    const buckets = bucketByBlock(blocks, spans).map((b) => b.map((i) => spans[i]?.id));
    expect(buckets).toEqual([["a"], ["a", "b"], ["a"]]);
  });
});

describe("moving between codings", () => {
  const spans = [span("a", 0, 10), span("b", 5, 15), span("c", 20, 30)].sort(byPosition);
  const { lane } = packLanes(spans);

  it("finds the codings at an offset, by lane, and cycles them", () => {
    expect(spansAt(spans, 6, lane).map((s) => s.id)).toEqual(["a", "b"]);
    expect(spansAt(spans, 15, lane).map((s) => s.id)).toEqual(["b"]);
    expect(cycle(spansAt(spans, 6, lane), "a")?.id).toBe("b");
    expect(cycle(spansAt(spans, 6, lane), "b")?.id).toBe("a");
    expect(cycle([], null)).toBeNull();
  });

  it("steps J and K in reading order", () => {
    expect(neighbour(spans, null, 3, 1)?.id).toBe("b");
    expect(neighbour(spans, spans[1] ?? null, 0, 1)?.id).toBe("c");
    expect(neighbour(spans, spans[0] ?? null, 0, -1)).toBeNull();
    expect(neighbour(spans, null, 25, -1)?.id).toBe("c");
  });
});
