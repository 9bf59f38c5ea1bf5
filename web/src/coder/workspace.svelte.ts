// The coder's workspace as state and verbs: what is loaded, the selection, the coder's
// layer with its undo history, the other coders' revealed layers, and every action the
// keys and buttons call. The screen's components draw this and dispatch to it.
import { mutate, query } from "../lib/graphql/client";
import {
  WorkspaceDocumentDocument,
  WorkspaceProjectDocument,
  type WorkspaceProjectQuery,
  WorkspaceProposeCodeDocument,
  WorkspaceSubmitDocument,
} from "../lib/graphql/generated";
import { type Span, byPosition, cycle, neighbour, packLanes, spansAt } from "../lib/lanes";
import type { Rejection, SaveQueue } from "../lib/queue";
import { type SpanLook, type TranscriptBlock, blocksFor } from "../lib/transcript";
import { readLayer } from "./api";
import { stepOffset, wordCount } from "./boundaries";
import { type Coding, type Edit, History, Layer, type Step, applySteps, changeSteps, deleteSteps, overlay, stepToChange } from "./layer";
import { sharedQueue } from "./queueInstance";
import { sliceCodePoints } from "../lib/offsets";
import { announce } from "../lib/announce.svelte";
import { session } from "../lib/session.svelte";
import { status } from "../lib/status.svelte";
import { toast } from "../lib/toasts.svelte";

export type Project = WorkspaceProjectQuery["project"];
export type Code = Project["codes"][number];
export type Assignment = Project["assignments"][number];

// Okabe–Ito, told apart with any common colour-vision deficiency; its black is a grey
// here, so it shows on the dark theme too.
export const PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#8C8C8C", "#F0E442"];
const MINE = "me";

export interface OtherLayer {
  coderId: string;
  name: string;
  codings: (Coding & { coderId: string })[];
}

export interface Conflict {
  rejection: Rejection;
  mine: Coding | null;
  theirs: (Coding & { version: number }) | null;
}

export class Workspace {
  project = $state.raw<Project | null>(null);
  me = $state.raw<{ id: string; name: string } | null>(null);
  title = $state("");
  text = "";
  blocks = $state.raw<TranscriptBlock[]>([]);
  loadError = $state<string | null>(null);
  revision = $state(0);
  selection = $state.raw<{ anchor: number; focus: number } | null>(null);
  currentLid = $state<string | null>(null);
  lastCodeId = $state<string | null>(null);
  pinned = $state.raw<string[]>([]);
  revealed = $state(false);
  /** The coder's layer is loaded: a selection can be coded. */
  layerReady = $state(false);
  others = $state.raw<OtherLayer[]>([]);
  shownCoders = $state.raw<ReadonlySet<string>>(new Set());
  conflict = $state.raw<Conflict | null>(null);
  resizing = $state<"start" | "end" | null>(null);
  queueState = $state("saved");
  waiting = $state(0);

  layer = new Layer();
  private history = new History();
  private resizeOrigin: Coding | null = null;
  private queue: SaveQueue | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    readonly projectId: string,
    readonly documentId: string,
  ) {}

  get assignment(): Assignment | null {
    const mine = (this.project?.assignments ?? []).filter((a) => a.documentId === this.documentId);
    return mine.find((a) => a.status !== "SUBMITTED") ?? mine[mine.length - 1] ?? null;
  }

  get readOnly(): boolean {
    const a = this.assignment;
    return !a || a.status === "SUBMITTED" || this.project?.status === "FINAL";
  }

  get roundId(): string | null {
    return this.assignment?.roundId ?? null;
  }

  get codes(): Code[] {
    return (this.project?.codes ?? []).filter((c) => c.status === "ACTIVE");
  }

  get codable(): Code[] {
    return this.codes.filter((c) => c.codable);
  }

  codeById(id: string): Code | undefined {
    return this.project?.codes.find((c) => c.id === id);
  }

  /** The codes on keys 1–9: the coder's pins, else the first codable codes. */
  get pinnedCodes(): Code[] {
    const pins = this.pinned.map((id) => this.codable.find((c) => c.id === id)).filter((c): c is Code => !!c);
    const rest = this.codable.filter((c) => !pins.includes(c));
    return [...pins, ...rest].slice(0, 9);
  }

  colorOf(codeId: string): string {
    const code = this.codeById(codeId);
    if (code?.color) return code.color;
    const index = this.project?.codes.filter((c) => c.codable).findIndex((c) => c.id === codeId) ?? 0;
    return PALETTE[Math.max(0, index) % PALETTE.length] as string;
  }

  // --- loading -------------------------------------------------------------------------

  async load(): Promise<void> {
    try {
      // The text is the largest read: ask for it first, beside the project.
      const text = query(WorkspaceDocumentDocument, { documentId: this.documentId });
      text.catch(() => {}); // awaited below; a failure is reported there
      const p = await query(WorkspaceProjectDocument, { projectId: this.projectId });
      this.me = p.me;
      this.project = p.project;
      this.pinned = JSON.parse(localStorage.getItem(this.pinKey) ?? "[]") as string[];
      this.queue = sharedQueue(p.me.id, {
        saved: (change, id) => this.onSaved(change.change.lid, id),
        rejected: (r) => void this.onRejected(r),
        conflict: (r) => void this.onConflict(r),
        changed: () => this.syncQueue(),
      });
      // The text and the coder's layer come in parallel, and are drawn together.
      const [d, mine] = await Promise.all([
        text,
        readLayer(this.documentId, this.roundId, p.me.id),
        this.queue.ready(),
      ]);
      const doc = d.document;
      this.title = doc.title;
      this.text = doc.text;
      this.applyLayer(mine);
      const turns = doc.turns.starts.length > 0;
      const t = turns ? doc.turns : { ...doc.paragraphs, speakers: [], startTimes: [] };
      const times = (t.startTimes ?? []) as (number | null)[];
      const units = t.starts.map((start, i) => ({
        start,
        end: t.ends[i] as number,
        speaker: t.speakers[i] ?? null,
        startTime: times[i] ?? null,
      }));
      this.blocks = blocksFor(doc.text, units, turns ? "turn" : "paragraph");
      if (mine.revealed) await this.loadOthers();
      this.layerReady = true;
      this.bump();
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  private get pinKey(): string {
    return `accord.pins.${this.projectId}`;
  }

  /** Read my layer (with the waiting changes over it) and, once revealed, the others. */
  async loadLayers(): Promise<void> {
    if (!this.queue || !this.me) return;
    const mine = await readLayer(this.documentId, this.roundId, this.me.id);
    this.applyLayer(mine);
    if (mine.revealed) await this.loadOthers();
    this.layerReady = true;
    this.bump();
  }

  private applyLayer(mine: Awaited<ReturnType<typeof readLayer>>): void {
    const queue = this.queue;
    if (!queue) return;
    queue.know(mine.codings.map((c) => ({ id: c.lid, version: c.version })));
    const waiting = queue.waiting.map((q) => q.change).filter((c) => c.kind !== "apply" || c.documentId === this.documentId);
    this.layer = overlay(mine.codings, waiting, (id) => queue.localIdOf(id));
    this.revealed = mine.revealed;
  }

  private async loadOthers(): Promise<void> {
    const all = await readLayer(this.documentId, this.roundId, null);
    const names = new Map((this.project?.members ?? []).map((m) => [m.user.id, m.user.name]));
    const byCoder = new Map<string, OtherLayer>();
    for (const c of all.codings) {
      if (c.coderId === this.me?.id) continue;
      let layer = byCoder.get(c.coderId);
      if (!layer) byCoder.set(c.coderId, (layer = { coderId: c.coderId, name: names.get(c.coderId) ?? "Another coder", codings: [] }));
      layer.codings.push(c);
    }
    this.others = [...byCoder.values()];
  }

  async reloadProject(): Promise<void> {
    const p = await query(WorkspaceProjectDocument, { projectId: this.projectId });
    this.project = p.project;
    this.bump();
  }

  bump(): void {
    this.revision++;
  }

  // --- what the transcript draws ---------------------------------------------------------

  spans(): Span[] {
    const mine: Span[] = this.layer.sorted().map((c) => ({ id: c.lid, start: c.start, end: c.end, codeId: c.codeId, layer: MINE }));
    const theirs: Span[] = this.others
      .filter((o) => this.shownCoders.has(o.coderId))
      .flatMap((o) => o.codings.map((c) => ({ id: c.lid, start: c.start, end: c.end, codeId: c.codeId, layer: o.coderId })));
    return [...mine, ...theirs];
  }

  // Looks by code and layer, rebuilt when the codebook or the revealed layers change:
  // the transcript asks for one per drawn coding, 20,000 times on a long document.
  private looks = new Map<string, SpanLook>();
  private looksOf: unknown[] = [];

  look = (span: Span): SpanLook => {
    if (this.looksOf[0] !== this.project || this.looksOf[1] !== this.others) {
      this.looks.clear();
      this.looksOf = [this.project, this.others];
    }
    const key = `${span.codeId} ${span.layer}`;
    let found = this.looks.get(key);
    if (!found) {
      const code = this.codeById(span.codeId);
      const owner = span.layer === MINE ? undefined : this.others.find((o) => o.coderId === span.layer)?.name;
      found = { label: code?.name ?? "Unknown code", color: this.colorOf(span.codeId), ...(owner ? { owner } : {}) };
      this.looks.set(key, found);
    }
    return found;
  };

  get layerOrder(): string[] {
    return [MINE, ...this.others.filter((o) => this.shownCoders.has(o.coderId)).map((o) => o.coderId)];
  }

  get current(): Coding | null {
    return this.currentLid ? (this.layer.get(this.currentLid) ?? this.otherCoding(this.currentLid)) : null;
  }

  otherCoding(id: string): Coding | null {
    for (const o of this.others) {
      const found = o.codings.find((c) => c.lid === id);
      if (found) return found;
    }
    return null;
  }

  isMine(lid: string | null): boolean {
    return !!lid && !!this.layer.get(lid);
  }

  get range(): { start: number; end: number } | null {
    const s = this.selection;
    if (!s || s.anchor === s.focus) return null;
    return { start: Math.min(s.anchor, s.focus), end: Math.max(s.anchor, s.focus) };
  }

  quote(start: number, end: number): string {
    return sliceCodePoints(this.text, start, end);
  }

  /** Said to screen readers through the app's live region. */
  announce(message: string): void {
    announce(message);
  }

  // --- editing ---------------------------------------------------------------------------

  private refuseReadOnly(): boolean {
    if (!this.readOnly) return false;
    this.announce(
      this.assignment
        ? "Your coding of this document is submitted and read-only. A lead can reopen it."
        : "You hold no assignment for this document, so you cannot code it.",
    );
    return true;
  }

  private commit(edit: Edit, record = true): void {
    if (!edit.steps.length) return;
    this.layer.apply(edit.steps);
    if (record) this.history.record(edit);
    for (const step of edit.steps) void this.queue?.enqueue(stepToChange(step, this.documentId, this.roundId));
    this.bump();
    this.announce(edit.label);
  }

  apply(codeId: string, memo = ""): Step[] {
    const range = this.range;
    const code = this.codeById(codeId);
    if (!code || this.refuseReadOnly()) return [];
    if (!range) {
      this.announce("Select some text first: drag over it, or use Shift with the arrow keys.");
      return [];
    }
    const steps = applySteps(this.layer, codeId, range.start, range.end, memo);
    if (!steps.length) {
      this.announce(`“${code.name}” is already on all of the selection.`);
      return [];
    }
    const words = wordCount(this.quote(range.start, range.end));
    this.commit({ label: `Applied “${code.name}” to ${words} word${words === 1 ? "" : "s"}`, steps });
    this.lastCodeId = codeId;
    this.currentLid = steps[0]?.lid ?? null;
    return steps;
  }

  repeat(): void {
    if (this.lastCodeId) this.apply(this.lastCodeId);
    else this.announce("No code applied yet to repeat.");
  }

  applyPinned(n: number): void {
    const code = this.pinnedCodes[n - 1];
    if (code) this.apply(code.id);
    else this.announce(`No code on key ${n}.`);
  }

  togglePin(codeId: string): void {
    this.pinned = this.pinned.includes(codeId) ? this.pinned.filter((id) => id !== codeId) : [...this.pinned, codeId];
    localStorage.setItem(this.pinKey, JSON.stringify(this.pinned));
  }

  deleteCurrent(): void {
    const c = this.currentLid ? this.layer.get(this.currentLid) : null;
    if (!c) {
      this.announce("No coding of yours is selected. J and K move between codings.");
      return;
    }
    if (this.refuseReadOnly()) return;
    const name = this.codeById(c.codeId)?.name ?? "coding";
    this.commit({ label: `Deleted “${name}”`, steps: deleteSteps(this.layer, c.lid) });
    this.currentLid = null;
    toast(`Deleted “${name}”`, { action: { label: "Undo", run: () => this.undo() } });
  }

  setMemo(lid: string, memo: string): void {
    if (this.refuseReadOnly()) return;
    this.commit({ label: "Memo saved", steps: changeSteps(this.layer, lid, { memo }) });
  }

  undo(): void {
    if (this.refuseReadOnly()) return;
    this.finishResize();
    const edit = this.history.undo();
    if (edit) this.commit(edit, false);
    else this.announce("Nothing to undo.");
  }

  redo(): void {
    if (this.refuseReadOnly()) return;
    const edit = this.history.redo();
    if (edit) this.commit(edit, false);
    else this.announce("Nothing to redo.");
  }

  // --- moving between codings -------------------------------------------------------------

  private caret(): number {
    return this.selection?.focus ?? this.blocks[0]?.start ?? 0;
  }

  select(lid: string | null): Coding | null {
    this.finishResize();
    this.currentLid = lid;
    const c = this.current;
    if (c) {
      const code = this.codeById(c.codeId);
      const owner = this.isMine(lid) ? "" : " (read-only)";
      this.announce(`${code?.name ?? "Coding"}${owner}: “${this.quote(c.start, c.end).slice(0, 120)}”`);
    }
    return c;
  }

  step(direction: 1 | -1): Coding | null {
    const spans = this.spans().sort(byPosition);
    const current = spans.find((s) => s.id === this.currentLid) ?? null;
    const next = neighbour(spans, current, this.caret(), direction);
    if (!next) {
      this.announce(direction > 0 ? "No coding after this one." : "No coding before this one.");
      return null;
    }
    return this.select(next.id);
  }

  cycleHere(): Coding | null {
    const spans = this.spans();
    const lanes = packLanes(spans).lane;
    const at = this.current && this.currentLid ? this.current.start : this.caret();
    const here = spansAt(spans, at, lanes);
    const next = cycle(here, this.currentLid);
    if (!next) {
      this.announce("No coding here.");
      return null;
    }
    return this.select(next.id);
  }

  // --- resizing ----------------------------------------------------------------------------

  startResize(edge: "start" | "end"): void {
    const c = this.currentLid ? this.layer.get(this.currentLid) : null;
    if (!c) {
      this.announce("Select one of your codings first (J, K or O), then [ or ] picks its boundary.");
      return;
    }
    if (this.refuseReadOnly()) return;
    this.resizeOrigin ??= c;
    this.resizing = edge;
    this.announce(`Moving the ${edge} of “${this.codeById(c.codeId)?.name}”: arrows move it, Enter or Esc ends.`);
  }

  moveBoundary(direction: 1 | -1, byWord: boolean): void {
    const c = this.currentLid ? this.layer.get(this.currentLid) : null;
    if (!c || !this.resizing) return;
    const edge = this.resizing;
    const moved = stepOffset(this.blocks, edge === "start" ? c.start : c.end, direction, byWord);
    const next = edge === "start" ? { start: Math.min(moved, c.end - 1) } : { end: Math.max(moved, c.start + 1) };
    const steps = changeSteps(this.layer, c.lid, next);
    this.layer.apply(steps);
    this.bump();
  }

  finishResize(): void {
    const origin = this.resizeOrigin;
    this.resizeOrigin = null;
    this.resizing = null;
    if (!origin) return;
    const now = this.layer.get(origin.lid);
    if (!now || (now.start === origin.start && now.end === origin.end)) return;
    // The moves so far were drawn only; save them as one change, undone as one.
    this.layer.apply([{ lid: origin.lid, before: now, after: origin }]);
    const words = wordCount(this.quote(now.start, now.end));
    this.commit({ label: `Resized to ${words} word${words === 1 ? "" : "s"}`, steps: [{ lid: origin.lid, before: origin, after: now }] });
  }

  // --- inductive codes, submitting ---------------------------------------------------------

  async propose(name: string): Promise<Code | null> {
    const data = await mutate(WorkspaceProposeCodeDocument, { projectId: this.projectId, input: { name } });
    const made = data.createCode;
    if (made.__typename !== "Code") {
      this.announce("message" in made ? made.message : "The code could not be proposed.");
      return null;
    }
    await this.reloadProject();
    this.announce(`Proposed the code “${made.name}”.`);
    return made as Code;
  }

  checklist(): { unused: Code[]; uncoded: TranscriptBlock[] } {
    const used = new Set(this.layer.sorted().map((c) => c.codeId));
    const unused = this.codable.filter((c) => !c.proposedById && !used.has(c.id));
    const sorted = this.layer.sorted();
    const uncoded = this.blocks.filter((b) => !sorted.some((c) => c.start < b.end && c.end > b.start));
    return { unused, uncoded };
  }

  async submit(): Promise<string | null> {
    if (this.waiting) return "Some changes are not saved yet. Wait until the status says “Saved”.";
    const data = await mutate(WorkspaceSubmitDocument, { documentId: this.documentId, roundId: this.roundId });
    const result = data.submitAssignment;
    if (result.__typename !== "Assignment") return "message" in result ? result.message : "Submitting failed.";
    this.history.clear();
    await this.reloadProject();
    await this.loadLayers();
    this.announce("Submitted. Your coding of this document is now read-only.");
    return null;
  }

  // --- the save queue -------------------------------------------------------------------------

  private syncQueue(): void {
    const state = this.queue?.state ?? "saved";
    this.queueState = state;
    this.waiting = this.queue?.waiting.length ?? 0;
    // The app's status line: "Saved", or "3 changes waiting (offline)".
    status.waiting(this.waiting, state === "offline");
    if (state === "signed-out") void session.whenAuthenticated().then(() => this.queue?.resume());
  }

  private onSaved(lid: string, id: string): void {
    if (this.assignment?.status === "ASSIGNED") void this.reloadProject();
    // After a reload, the server's copy of a coding saved before the answer was lost is
    // already drawn under its server id: keep the local one only.
    if (id !== lid && this.layer.get(id) && this.layer.get(lid)) {
      this.layer.remove(id);
      this.bump();
    }
  }

  private async onRejected(r: Rejection): Promise<void> {
    this.announce(`A change could not be saved: ${r.message}`);
    toast(`Not saved: ${r.message}`, { kind: "error" });
    await this.loadLayers();
  }

  private async onConflict(r: Rejection): Promise<void> {
    const lid = r.change.change.lid;
    const mine = this.layer.get(lid) ?? null;
    const id = this.queue?.serverId(lid) ?? null;
    let theirs: Conflict["theirs"] = null;
    if (this.me) {
      const server = await readLayer(this.documentId, this.roundId, this.me.id);
      const found =
        server.codings.find((c) => c.lid === id) ??
        (mine ? server.codings.find((c) => c.codeId === mine.codeId && c.start < mine.end && c.end > mine.start) : undefined);
      theirs = found ?? null;
    }
    this.conflict = { rejection: r, mine, theirs };
  }

  async resolveConflict(keep: "mine" | "theirs"): Promise<void> {
    const conflict = this.conflict;
    this.conflict = null;
    if (!conflict || !this.queue) return;
    const change = conflict.rejection.change.change;
    if (keep === "theirs") {
      await this.queue.resolveConflict({ keep: "theirs" });
    } else if (change.kind === "apply" && conflict.theirs) {
      // Mine overlaps a saved coding of the same code: stretch the saved one over both.
      const t = conflict.theirs;
      await this.queue.resolveConflict({
        keep: "mine",
        version: t.version,
        change: { kind: "update", lid: t.lid, changes: { start: Math.min(t.start, change.start), end: Math.max(t.end, change.end) } },
      });
    } else {
      await this.queue.resolveConflict({ keep: "mine", version: conflict.theirs?.version });
    }
    await this.loadLayers();
  }

  /** Resume sending after a login in place (the shell's session calls this too). */
  resume(): void {
    this.queue?.resume();
  }

  get queueRef(): SaveQueue | null {
    return this.queue;
  }

  setUnlisten(fn: () => void): void {
    this.unlisten = fn;
  }

  dispose(): void {
    this.unlisten?.();
  }
}
