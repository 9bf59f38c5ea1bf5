import { describe, expect, it } from "vitest";
import { packLanes } from "./lanes";
import { blockAt, blockTextHtml, blocksFor, formatTime, laneImage } from "./transcript";

const text = "Intro line 😊.\n\nInterviewer: Hei?\nP01: Ja, æøå 👨‍👩‍👧.\n";
const cp = (s: string) => [...s].length;

describe("blocks", () => {
  it("cover the units and the text outside them, with code-point starts", () => {
    const turnStart = cp(text.slice(0, text.indexOf("Interviewer")));
    const p01 = cp(text.slice(0, text.indexOf("P01")));
    const blocks = blocksFor(
      text,
      [
        { start: turnStart, end: p01 - 1, speaker: "Interviewer", startTime: 65 },
        { start: p01, end: cp(text) - 1, speaker: "P01" },
      ],
      "turn",
    );
    expect(blocks.map((b) => [b.kind, b.speaker, b.text])).toEqual([
      ["paragraph", null, "Intro line 😊."],
      ["turn", "Interviewer", "Interviewer: Hei?"],
      ["turn", "P01", "P01: Ja, æøå 👨‍👩‍👧."],
    ]);
    expect(blocks[2]?.start).toBe(p01);
    expect(blockAt(blocks, p01 + 3)?.index).toBe(2);
    expect(blockAt(blocks, p01 - 1)?.index).toBe(1);
    expect(formatTime(blocks[1]?.startTime ?? 0)).toBe("01:05");
  });

  it("draws a coding as a piece with its lane and escapes the text", () => {
    const [b] = blocksFor("a <b> & c", [{ start: 0, end: 9 }], "paragraph");
    const spans = [{ id: "x", start: 2, end: 5, codeId: "c", layer: "me" }];
    const html = blockTextHtml(b!, spans, {
      maxLanes: 3,
      lane: packLanes(spans).lane,
      look: () => ({ label: "Code", color: "#E69F00" }),
      idPrefix: "u",
    });
    expect(html).toContain('data-ids="x"');
    expect(html).toContain("&lt;b&gt;</span> &amp; c");
    expect(html.startsWith("a ")).toBe(true);
  });

  it("draws a look's own line style whatever its lane (a layer keeps its line)", () => {
    const [b] = blocksFor("one two", [{ start: 0, end: 7 }], "paragraph");
    const spans = [
      { id: "a", start: 0, end: 7, codeId: "c", layer: "ingrid" },
      { id: "k", start: 0, end: 3, codeId: "c", layer: "consensus" },
    ];
    const options = {
      maxLanes: 3,
      lane: packLanes(spans, (s) => s.layer, ["ingrid", "consensus"]).lane,
      idPrefix: "u",
    };
    const plain = blockTextHtml(b!, spans, { ...options, look: () => ({ label: "C", color: "red" }) });
    expect(plain).toContain(laneImage(1, "red")); // lane 1: the place's own line
    const styled = blockTextHtml(b!, spans, {
      ...options,
      look: (s) => ({ label: "C", color: "red", ...(s.layer === "consensus" ? { pattern: 3 } : {}) }),
    });
    expect(styled).toContain(laneImage(3, "red"));
    expect(styled).not.toContain(laneImage(1, "red"));
  });
});
