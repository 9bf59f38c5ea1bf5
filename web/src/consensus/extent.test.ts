import { describe, expect, it } from "vitest";
import { moveBoundary, nudge } from "./extent";
import { CodePoints } from "./runs";

const text = new CodePoints("I felt 😊 lighter, and slept.");

describe("moving a boundary", () => {
  it("by a character, ten, or a word, in code points", () => {
    expect(nudge(text, 2, 1, "character")).toBe(3);
    expect(nudge(text, 0, -1, "character")).toBe(0);
    expect(nudge(text, 2, 1, "ten")).toBe(12);
    expect(nudge(text, 25, 1, "ten")).toBe(text.length);
    // I·felt·😊·lighter,  (the emoji is one code point)
    expect(nudge(text, 2, 1, "word")).toBe(6); // to the end of "felt"
    expect(nudge(text, 6, 1, "word")).toBe(8); // over the emoji
    expect(nudge(text, 8, -1, "word")).toBe(7); // back to the emoji's start
    expect(nudge(text, 6, -1, "word")).toBe(2);
  });

  it("keeps the start before the end", () => {
    expect(moveBoundary({ start: 2, end: 6 }, "start", 9)).toEqual({ start: 5, end: 6 });
    expect(moveBoundary({ start: 2, end: 6 }, "end", 1)).toEqual({ start: 2, end: 3 });
    expect(moveBoundary({ start: 2, end: 6 }, "end", 12)).toEqual({ start: 2, end: 12 });
  });
});
