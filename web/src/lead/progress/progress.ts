// The progress matrix in words: each cell's state, stale work, and what a live event
// means for the lead watching. Plain functions, tested without a browser.

export interface Cell {
  status: string;
  codingCount: number;
  lastActivityAt: string | null;
  submittedAt: string | null;
  reopenReason: string | null;
}

export const STATUS_WORDS: Record<string, string> = {
  ASSIGNED: "Not started",
  IN_PROGRESS: "In progress",
  SUBMITTED: "Submitted",
  REOPENED: "Reopened",
};

export const CONSENSUS_WORDS: Record<string, string> = {
  NOT_STARTED: "Consensus not started",
  OPEN: "Consensus open",
  COMPLETED: "Consensus completed",
};

const DAY = 24 * 60 * 60 * 1000;

/** Work not submitted and untouched for `days` days (or never touched, assigned longer ago
 * is not known here, so only touched work can be stale). */
export function isStale(cell: Cell, now: number, days: number): boolean {
  if (cell.status === "SUBMITTED" || cell.lastActivityAt === null) return false;
  return now - Date.parse(cell.lastActivityAt) > days * DAY;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(iso: string | null, now: number): string {
  if (iso === null) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return "just now";
  const units: [number, string][] = [
    [60, "minute"],
    [60 * 60, "hour"],
    [DAY / 1000, "day"],
  ];
  let chosen: [number, string] = units[0] as [number, string];
  for (const unit of units) if (seconds >= unit[0]) chosen = unit;
  const n = Math.floor(seconds / chosen[0]);
  return `${n} ${chosen[1]}${n === 1 ? "" : "s"} ago`;
}

export function cellWords(cell: Cell, now: number, staleDays: number): string {
  const parts = [STATUS_WORDS[cell.status] ?? cell.status];
  parts.push(`${cell.codingCount} ${cell.codingCount === 1 ? "coding" : "codings"}`);
  if (cell.lastActivityAt) parts.push(`last active ${ago(cell.lastActivityAt, now)}`);
  if (isStale(cell, now, staleDays)) parts.push(`stale: no activity for over ${staleDays} days`);
  return parts.join(", ");
}

/** Events after which the matrix may have changed. */
export function changesProgress(kind: string): boolean {
  return /^(assignment|coding|document|consensus|round|member)\./.test(kind);
}

export interface LiveEvent {
  kind: string;
  documentId: string | null;
  actor: { name: string } | null;
}

/** A sentence for the live region about what just happened, or null for the routine
 * ones (every coding would be too many to hear). */
export function announcement(event: LiveEvent, titles: Record<string, string>): string | null {
  const who = event.actor?.name ?? "Accord";
  const title = event.documentId ? (titles[event.documentId] ?? "a document") : "a document";
  switch (event.kind) {
    case "assignment.submitted":
      return `${who} submitted ${title}.`;
    case "assignment.reopened":
      return `${who} reopened ${title}.`;
    case "document.revealed":
      return `${title} is revealed.`;
    case "consensus.started":
      return `Consensus started on ${title}.`;
    case "consensus.completed":
      return `Consensus completed on ${title}.`;
    default:
      return null;
  }
}
