// A person's own work in a project: how far along they are, and what to code next.
import type { AssignmentStatus } from "../lib/graphql/generated";

export interface OwnAssignment {
  documentId: string;
  documentTitle: string;
  roundId: string;
  status: AssignmentStatus;
}

/** "3 of 5 submitted", or null when nothing is assigned. Withdrawn assignments (the
 * person left the project before finishing) are not theirs to do any more. */
export function progressText(assignments: readonly { status: AssignmentStatus }[]): string | null {
  const current = assignments.filter((a) => a.status !== "WITHDRAWN");
  if (!current.length) return null;
  const submitted = current.filter((a) => a.status === "SUBMITTED").length;
  return `${submitted} of ${current.length} submitted`;
}

// Work already begun, or sent back by a lead, comes before work not yet started.
const URGENCY: Record<AssignmentStatus, number> = {
  REOPENED: 0,
  IN_PROGRESS: 1,
  ASSIGNED: 2,
  SUBMITTED: 3,
  WITHDRAWN: 4,
};

/** The assignment "Continue coding" opens: not submitted; reopened and begun ones first,
 * then by round (oldest round first), then in the order given. Null when all are done. */
export function nextAssignment<T extends OwnAssignment>(
  assignments: readonly T[],
  roundOrder: readonly string[],
): T | null {
  const round = (id: string) => {
    const at = roundOrder.indexOf(id);
    return at === -1 ? roundOrder.length : at;
  };
  const open = assignments
    .map((a, index) => ({ a, index }))
    .filter(({ a }) => a.status !== "SUBMITTED" && a.status !== "WITHDRAWN")
    .sort(
      (x, y) =>
        URGENCY[x.a.status] - URGENCY[y.a.status] ||
        round(x.a.roundId) - round(y.a.roundId) ||
        x.index - y.index,
    );
  return open[0]?.a ?? null;
}

/** The workspace for an assignment; the round is in the query so the workspace opens
 * the right layer when a document is assigned in several rounds. */
export function workspacePath(projectId: string, a: { documentId: string; roundId: string }): string {
  return `/p/${encodeURIComponent(projectId)}/code/${encodeURIComponent(a.documentId)}?round=${encodeURIComponent(a.roundId)}`;
}

export const STATUS_WORDS: Record<AssignmentStatus, string> = {
  ASSIGNED: "Not started",
  IN_PROGRESS: "In progress",
  SUBMITTED: "Submitted",
  REOPENED: "Reopened",
  WITHDRAWN: "Withdrawn",
};

export const ROLE_WORDS: Record<string, string> = { LEAD: "Lead", CODER: "Coder", VIEWER: "Viewer" };
