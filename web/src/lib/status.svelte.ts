// The status line at the foot of every screen: whether the person's work is saved.
// The coder's save queue drives it; any screen that saves in the background may.
import { announce, announceUrgently } from "./announce.svelte";

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved" }
  | { kind: "waiting"; count: number; offline: boolean }
  | { kind: "error"; message: string; requestId: string | null };

/** The words the status line shows for a state. `sessionEnded`: the server no longer
 * accepts the session, so what is being saved waits for the person to log in again. */
export function statusText(state: SaveState, sessionEnded = false): string {
  const untilLogin = "session ended: sent once you log in again";
  switch (state.kind) {
    case "idle":
      return "";
    case "saving":
      return sessionEnded ? `Not saved yet (${untilLogin})` : "Saving…";
    case "saved":
      return "Saved";
    case "waiting": {
      const changes = `${state.count} ${state.count === 1 ? "change" : "changes"} waiting`;
      if (sessionEnded) return `${changes} (${untilLogin})`;
      return state.offline ? `${changes} (offline)` : changes;
    }
    case "error":
      return state.requestId
        ? `${state.message} (request ${state.requestId})`
        : state.message;
  }
}

/** Whether moving from `before` to `after` is news a screen reader user must hear.
 * "Saving…"/"Saved" flip with every change, so they are shown but not announced. */
export function worthAnnouncing(before: SaveState, after: SaveState): boolean {
  if (after.kind === "error") return true;
  if (after.kind === "waiting" && after.offline) {
    return !(before.kind === "waiting" && before.offline);
  }
  // Back online with everything sent.
  return after.kind === "saved" && before.kind === "waiting" && before.offline;
}

class StatusLine {
  current: SaveState = $state({ kind: "idle" });

  get text(): string {
    return statusText(this.current);
  }

  set(next: SaveState): void {
    const before = this.current;
    this.current = next;
    if (!worthAnnouncing(before, next)) return;
    if (next.kind === "error") announceUrgently(statusText(next));
    else if (next.kind === "saved") announce("Back online. All changes saved.");
    else announce(statusText(next));
  }

  saving(): void {
    this.set({ kind: "saving" });
  }

  saved(): void {
    this.set({ kind: "saved" });
  }

  waiting(count: number, offline: boolean): void {
    this.set(count > 0 ? { kind: "waiting", count, offline } : { kind: "saved" });
  }

  error(message: string, requestId: string | null = null): void {
    this.set({ kind: "error", message, requestId });
  }

  /** Nothing to report (a screen that saved leaves). */
  clear(): void {
    this.current = { kind: "idle" };
  }
}

export const status = new StatusLine();
