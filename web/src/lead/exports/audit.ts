// The audit log in words: the families of event kinds a lead filters by, and a sentence
// per event.

export const FAMILIES: readonly { kind: string; label: string }[] = [
  { kind: "project", label: "Project (created, settings, finalised)" },
  { kind: "member", label: "Members" },
  { kind: "document", label: "Documents" },
  { kind: "code", label: "Codebook" },
  { kind: "round", label: "Rounds" },
  { kind: "assignment", label: "Assignments" },
  { kind: "coding", label: "Codings" },
  { kind: "memo", label: "Memos" },
  { kind: "consensus", label: "Consensus" },
];

const VERBS: Record<string, string> = {
  created: "created",
  updated: "changed",
  renamed: "renamed",
  moved: "moved",
  retired: "retired",
  adopted: "adopted",
  merged: "merged",
  merge_undone: "undid a merge of",
  split: "split",
  imported: "imported",
  deleted: "deleted",
  revealed: "revealed",
  added: "added",
  removed: "removed",
  role_changed: "changed the role of",
  submitted: "submitted",
  reopened: "reopened",
  applied: "applied",
  started: "started",
  resolved: "resolved",
  auto_accepted: "auto-accepted",
  completed: "completed",
  finalized: "finalised",
  unfinalized: "opened again",
};

const NOUNS: Record<string, string> = {
  project: "the project",
  member: "a member",
  document: "a document",
  code: "a code",
  round: "a round",
  assignment: "an assignment",
  coding: "a coding",
  memo: "a memo",
  consensus: "consensus",
};

function nameIn(value: unknown): string | null {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    for (const key of ["name", "title"]) if (typeof v[key] === "string") return v[key] as string;
  }
  return null;
}

export interface AuditEvent {
  kind: string;
  actor: { name: string } | null;
  before: unknown;
  after: unknown;
}

/** "Kari Nordby renamed a code: “Peer support”." */
export function eventSentence(event: AuditEvent, documentTitle: string | null): string {
  const [family = "", action = ""] = event.kind.split(".", 2);
  const who = event.actor?.name ?? "Accord";
  const verb = VERBS[action] ?? action.replaceAll("_", " ");
  const noun = family === "project" || family === "consensus" ? NOUNS[family] : (NOUNS[family] ?? family);
  const name = nameIn(event.after) ?? nameIn(event.before);
  let sentence = `${who} ${verb} ${noun}`;
  if (name) sentence += `: “${name}”`;
  if (documentTitle && family !== "document") sentence += ` on ${documentTitle}`;
  return `${sentence}.`;
}

/** A date input's value (local day) as the start of that day, or the day after it. */
export function dayBound(value: string, end: boolean): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const day = new Date(`${value}T00:00:00`);
  if (Number.isNaN(day.getTime())) return null;
  if (end) day.setDate(day.getDate() + 1);
  return day.toISOString();
}
