import { describe, expect, it } from "vitest";
import { dayBound, eventSentence } from "./audit";

describe("eventSentence", () => {
  it("says who did what to which thing", () => {
    expect(eventSentence({ kind: "code.renamed", actor: { name: "Kari" }, before: { name: "Old" }, after: { name: "Peer support" } }, null)).toBe(
      "Kari renamed a code: “Peer support”.",
    );
    expect(eventSentence({ kind: "assignment.submitted", actor: { name: "Lars" }, before: null, after: {} }, "Interview 3")).toBe(
      "Lars submitted an assignment on Interview 3.",
    );
    expect(eventSentence({ kind: "consensus.auto_accepted", actor: null, before: null, after: {} }, "Interview 1")).toBe(
      "Accord auto-accepted consensus on Interview 1.",
    );
    expect(eventSentence({ kind: "project.finalized", actor: { name: "Kari" }, before: null, after: null }, null)).toBe(
      "Kari finalised the project.",
    );
  });
});

describe("dayBound", () => {
  it("gives the start of a day, or of the next day for an end", () => {
    const start = new Date(dayBound("2025-03-10", false) as string);
    const end = new Date(dayBound("2025-03-10", true) as string);
    expect(end.getTime() - start.getTime()).toBe(24 * 60 * 60 * 1000);
    expect(start.getDate()).toBe(10);
    expect(dayBound("", false)).toBeNull();
    expect(dayBound("10.03.2025", true)).toBeNull();
  });
});
