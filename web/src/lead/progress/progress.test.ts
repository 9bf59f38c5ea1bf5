import { describe, expect, it } from "vitest";
import { ago, announcement, cellWords, changesProgress, isStale } from "./progress";

const NOW = Date.parse("2025-03-10T12:00:00Z");
const cell = (status: string, last: string | null, count = 3) => ({
  status,
  codingCount: count,
  lastActivityAt: last,
  submittedAt: null,
  reopenReason: null,
});

describe("staleness", () => {
  it("flags unsubmitted work untouched for longer than the limit", () => {
    expect(isStale(cell("IN_PROGRESS", "2025-03-01T12:00:00Z"), NOW, 7)).toBe(true);
    expect(isStale(cell("IN_PROGRESS", "2025-03-05T12:00:00Z"), NOW, 7)).toBe(false);
    expect(isStale(cell("SUBMITTED", "2025-01-01T12:00:00Z"), NOW, 7)).toBe(false);
    expect(isStale(cell("ASSIGNED", null), NOW, 7)).toBe(false);
  });
});

describe("ago", () => {
  it("reads like a person", () => {
    expect(ago("2025-03-10T11:59:30Z", NOW)).toBe("just now");
    expect(ago("2025-03-10T11:55:00Z", NOW)).toBe("5 minutes ago");
    expect(ago("2025-03-10T11:00:00Z", NOW)).toBe("1 hour ago");
    expect(ago("2025-03-07T12:00:00Z", NOW)).toBe("3 days ago");
    expect(ago(null, NOW)).toBe("never");
  });
});

describe("cellWords", () => {
  it("says status, codings, activity and staleness", () => {
    expect(cellWords(cell("IN_PROGRESS", "2025-03-01T12:00:00Z", 1), NOW, 7)).toBe(
      "In progress, 1 coding, last active 9 days ago, stale: no activity for over 7 days",
    );
    expect(cellWords(cell("ASSIGNED", null, 0), NOW, 7)).toBe("Not started, 0 codings");
  });
});

describe("live events", () => {
  it("refetches on progress events only and announces the notable ones", () => {
    expect(changesProgress("coding.applied")).toBe(true);
    expect(changesProgress("memo.created")).toBe(false);
    const titles = { d1: "Interview 1" };
    expect(announcement({ kind: "assignment.submitted", documentId: "d1", actor: { name: "Ingrid" } }, titles)).toBe(
      "Ingrid submitted Interview 1.",
    );
    expect(announcement({ kind: "coding.applied", documentId: "d1", actor: null }, titles)).toBeNull();
  });
});
