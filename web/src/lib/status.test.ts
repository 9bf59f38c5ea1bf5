import { describe, expect, it } from "vitest";
import { type SaveState, statusText, worthAnnouncing } from "./status.svelte";

describe("statusText", () => {
  it("says how much is waiting, and whether offline", () => {
    expect(statusText({ kind: "waiting", count: 3, offline: true })).toBe("3 changes waiting (offline)");
    expect(statusText({ kind: "waiting", count: 1, offline: false })).toBe("1 change waiting");
    expect(statusText({ kind: "saving" })).toBe("Saving…");
    expect(statusText({ kind: "saved" })).toBe("Saved");
    expect(statusText({ kind: "idle" })).toBe("");
  });
  it("says that changes wait for a login after the session ended", () => {
    expect(statusText({ kind: "waiting", count: 2, offline: false }, true)).toBe(
      "2 changes waiting (session ended: sent once you log in again)",
    );
    expect(statusText({ kind: "saving" }, true)).toBe("Not saved yet (session ended: sent once you log in again)");
    expect(statusText({ kind: "saved" }, true)).toBe("Saved");
  });
  it("quotes the request id of an error", () => {
    expect(statusText({ kind: "error", message: "Not saved.", requestId: "r-12" })).toBe(
      "Not saved. (request r-12)",
    );
  });
});

describe("worthAnnouncing", () => {
  const saving: SaveState = { kind: "saving" };
  const saved: SaveState = { kind: "saved" };
  const offline: SaveState = { kind: "waiting", count: 2, offline: true };
  it("keeps Saving/Saved quiet", () => {
    expect(worthAnnouncing(saved, saving)).toBe(false);
    expect(worthAnnouncing(saving, saved)).toBe(false);
  });
  it("announces going offline once, errors always, and coming back", () => {
    expect(worthAnnouncing(saved, offline)).toBe(true);
    expect(worthAnnouncing(offline, { kind: "waiting", count: 3, offline: true })).toBe(false);
    expect(worthAnnouncing(saved, { kind: "error", message: "x", requestId: null })).toBe(true);
    expect(worthAnnouncing(offline, saved)).toBe(true);
  });
});
