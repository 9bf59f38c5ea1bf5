import { describe, expect, it } from "vitest";
import { blocksFor } from "../lib/transcript";
import { stepOffset, wordCount } from "./boundaries";

const text = "Interviewer: Hei 😊 der.\nP01: Ja, 👨‍👩‍👧 og så.\n";
const blocks = blocksFor(
  text,
  [
    { start: 0, end: 23, speaker: "Interviewer" },
    { start: 24, end: [...text].length - 1, speaker: "P01" },
  ],
  "turn",
);

describe("moving a boundary", () => {
  it("steps over whole graphemes and words", () => {
    const beforeEmoji = [...text].indexOf("😊");
    expect(stepOffset(blocks, beforeEmoji, 1, false)).toBe(beforeEmoji + 1);
    const family = [..."Interviewer: Hei 😊 der.\nP01: Ja, "].length;
    expect(stepOffset(blocks, family, 1, false)).toBe(family + 5);
    expect(stepOffset(blocks, 13, 1, true)).toBe(16);
  });

  it("crosses to the next or previous unit at an edge", () => {
    expect(stepOffset(blocks, blocks[0]!.end, 1, false)).toBe(blocks[1]!.start);
    expect(stepOffset(blocks, blocks[1]!.start, -1, false)).toBe(blocks[0]!.end);
  });

  it("counts words", () => {
    expect(wordCount("Ja, 👨‍👩‍👧 og så.")).toBe(3);
  });
});
