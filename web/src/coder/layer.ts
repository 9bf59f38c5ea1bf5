// The coder's own layer on one document as the workspace shows it: the server's codings
// with the changes still waiting in the save queue laid over them, and undo/redo.
// Every edit is a list of steps (a coding before and after); the same steps become the
// queue's changes, and their reverse is the undo.

import { newLocalId } from "../lib/queue";
import type { Change } from "../lib/queueStore";

export interface Coding {
  /** The coding's id on this device (its server id, or a local id until saved). */
  lid: string;
  start: number;
  end: number;
  codeId: string;
  memo: string;
}

export interface Step {
  lid: string;
  before: Coding | null;
  after: Coding | null;
}

export interface Edit {
  /** What the coder did, for announcements: "Applied 'Relief'". */
  label: string;
  steps: Step[];
}

export class Layer {
  private byLid = new Map<string, Coding>();
  private cache: Coding[] | null = null;

  constructor(codings: readonly Coding[] = []) {
    for (const c of codings) this.byLid.set(c.lid, c);
  }

  get(lid: string): Coding | undefined {
    return this.byLid.get(lid);
  }

  get size(): number {
    return this.byLid.size;
  }

  /** Every coding in reading order. */
  sorted(): readonly Coding[] {
    this.cache ??= [...this.byLid.values()].sort(
      (a, b) => a.start - b.start || b.end - a.end || (a.lid < b.lid ? -1 : 1),
    );
    return this.cache;
  }

  /** Make the steps' "after" states true. */
  apply(steps: readonly Step[]): void {
    for (const step of steps) {
      if (step.after) this.byLid.set(step.lid, step.after);
      else this.byLid.delete(step.lid);
    }
    this.cache = null;
  }

  /** Rename a coding (a local id that the server has now named), keeping its place. */
  rename(from: string, to: string): void {
    const c = this.byLid.get(from);
    if (!c || from === to) return;
    this.byLid.delete(from);
    this.byLid.set(to, { ...c, lid: to });
    this.cache = null;
  }

  remove(lid: string): void {
    if (this.byLid.delete(lid)) this.cache = null;
  }
}

/** The steps reversed: what undoes them. */
export function reverse(steps: readonly Step[]): Step[] {
  return [...steps].reverse().map((s) => ({ lid: s.lid, before: s.after, after: s.before }));
}

/** The queue's change for one step. */
export function stepToChange(step: Step, documentId: string, roundId: string | null): Change {
  const { before, after } = step;
  if (!before && after) {
    return {
      kind: "apply",
      lid: step.lid,
      documentId,
      codeId: after.codeId,
      start: after.start,
      end: after.end,
      memo: after.memo || null,
      roundId,
    };
  }
  if (before && !after) return { kind: "delete", lid: step.lid };
  const changes: Extract<Change, { kind: "update" }>["changes"] = {};
  if (before && after) {
    if (before.start !== after.start) changes.start = after.start;
    if (before.end !== after.end) changes.end = after.end;
    if (before.codeId !== after.codeId) changes.codeId = after.codeId;
    if (before.memo !== after.memo) changes.memo = after.memo;
  }
  return { kind: "update", lid: step.lid, changes };
}

/** Applying a code to [start, end): a new coding, or, where the coder already has that
 * code over or next to the span, one coding stretched over all of them (the server does
 * not allow a coder two overlapping segments of one code). */
export function applySteps(layer: Layer, codeId: string, start: number, end: number, memo = ""): Step[] {
  const same = layer.sorted().filter((c) => c.codeId === codeId && c.start < end && c.end > start);
  if (!same.length) {
    const lid = newLocalId();
    return [{ lid, before: null, after: { lid, start, end, codeId, memo } }];
  }
  const [keep, ...rest] = same as [Coding, ...Coding[]];
  const merged: Coding = {
    ...keep,
    start: Math.min(start, ...same.map((c) => c.start)),
    end: Math.max(end, ...same.map((c) => c.end)),
    memo: [keep.memo, ...rest.map((c) => c.memo), memo].filter(Boolean).join("\n\n"),
  };
  if (!rest.length && merged.start === keep.start && merged.end === keep.end && merged.memo === keep.memo) return [];
  return [
    { lid: keep.lid, before: keep, after: merged },
    ...rest.map((c) => ({ lid: c.lid, before: c, after: null })),
  ];
}

/** The same coding with other fields, as one step (none when nothing changes). */
export function changeSteps(layer: Layer, lid: string, fields: Partial<Omit<Coding, "lid">>): Step[] {
  const before = layer.get(lid);
  if (!before) return [];
  const after = { ...before, ...fields };
  if (after.start >= after.end) return [];
  const same =
    after.start === before.start && after.end === before.end && after.codeId === before.codeId && after.memo === before.memo;
  return same ? [] : [{ lid, before, after }];
}

export function deleteSteps(layer: Layer, lid: string): Step[] {
  const before = layer.get(lid);
  return before ? [{ lid, before, after: null }] : [];
}

/** Undo and redo of edits. */
export class History {
  private done: Edit[] = [];
  private undone: Edit[] = [];

  record(edit: Edit): void {
    if (!edit.steps.length) return;
    this.done.push(edit);
    if (this.done.length > 500) this.done.shift();
    this.undone = [];
  }

  /** The edit to make to undo the last one (and remember it for redo). */
  undo(): Edit | null {
    const last = this.done.pop();
    if (!last) return null;
    this.undone.push(last);
    return { label: `Undid: ${last.label}`, steps: reverse(last.steps) };
  }

  redo(): Edit | null {
    const next = this.undone.pop();
    if (!next) return null;
    this.done.push(next);
    return { label: `Redid: ${next.label}`, steps: next.steps };
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}

/** The server's codings with the waiting changes laid over them, in order. A change whose
 * coding is gone is skipped. */
export function overlay(server: readonly Coding[], waiting: readonly Change[], localOf: (id: string) => string = (id) => id): Layer {
  const layer = new Layer(server.map((c) => ({ ...c, lid: localOf(c.lid) })));
  for (const change of waiting) {
    if (change.kind === "apply") {
      const { lid, start, end, codeId, memo } = change;
      layer.apply([{ lid, before: null, after: { lid, start, end, codeId, memo: memo ?? "" } }]);
    } else if (change.kind === "delete") {
      layer.remove(change.lid);
    } else {
      const before = layer.get(change.lid);
      if (before) layer.apply([{ lid: change.lid, before, after: { ...before, ...change.changes } }]);
    }
  }
  return layer;
}
