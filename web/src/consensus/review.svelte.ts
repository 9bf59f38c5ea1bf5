// The consensus review of one document: what the API returns about it, the queue's
// filter and position, the lead's decisions, and live updates from other leads.
// Components draw this state and call its verbs; the API decides everything.
import { ApiError, mutate, onReconnect, query, subscribe } from "../lib/graphql/client";
import {
  CompleteConsensusDocument,
  ConsensusEventsDocument,
  ConsensusItemsDocument,
  ConsensusReadinessOfDocument,
  ConsensusReviewDocument,
  DocumentDecisionsDocument,
  ReopenItemDocument,
  ResolveItemDocument,
  StartConsensusDocument,
  type ConsensusItemFieldsFragment,
  type ConsensusReadinessOfQuery,
  type ConsensusReviewQuery,
  type DocumentDecisionsQuery,
} from "../lib/graphql/generated";
import { blocksFor, type TranscriptBlock } from "../lib/transcript";
import { filterItems, NO_FILTER, nextOpen, type QueueFilter } from "./items";
import { resolutionInput, type Choice } from "./resolution";
import { CodePoints } from "./runs";

export type Item = ConsensusItemFieldsFragment;
export type Readiness = ConsensusReadinessOfQuery["consensusReadiness"];
export type Decision = DocumentDecisionsQuery["decisionLog"][number];
export type Code = ConsensusReviewQuery["project"]["codes"][number];

export type Outcome =
  | { ok: true }
  | { ok: false; conflict: boolean; message: string; requestId?: string | null };

function failed(error: unknown): Outcome {
  if (error instanceof ApiError) {
    return { ok: false, conflict: false, message: error.message, requestId: error.requestId };
  }
  return { ok: false, conflict: false, message: String(error) };
}

export class Review {
  project = $state<ConsensusReviewQuery["project"] | null>(null);
  document = $state<ConsensusReviewQuery["document"] | null>(null);
  items = $state<Item[]>([]);
  readiness = $state<Readiness | null>(null);
  /** Why the start panel cannot be shown (a coder may not see who submitted). */
  readinessRefused = $state<string | null>(null);
  log = $state<Decision[]>([]);
  logRefused = $state<string | null>(null);
  loadError = $state<ApiError | null>(null);
  loading = $state(true);
  filter = $state<QueueFilter>({ ...NO_FILTER });
  currentKey = $state<string | null>(null);
  /** The last thing another lead did here (with its event id), to announce. */
  heard = $state<{ text: string; eventId: string } | null>(null);
  /** The document's units, drawn once (a reload of the items keeps them). */
  blocks = $state.raw<TranscriptBlock[]>([]);
  /** Why the item a link asked for is not the current one. */
  note = $state<string | null>(null);

  readonly visible = $derived(filterItems(this.items, this.filter));
  readonly current = $derived(this.items.find((i) => i.key === this.currentKey) ?? null);
  readonly text = $derived(new CodePoints(this.document?.text ?? ""));
  readonly codes = $derived(new Map((this.project?.codes ?? []).map((c) => [c.id, c])));
  readonly coders = $derived(this.coderList());
  readonly isLead = $derived(this.project?.myRole === "LEAD");
  readonly started = $derived(this.items.some((i) => i.id !== null));
  readonly documentLog = $derived(this.log.filter((d) => d.documentId === this.documentId));

  private me: string | null = null;

  /** `wanted`: the item a link asked for (`?item=<key>`), made current once loaded. */
  constructor(
    readonly projectId: string,
    readonly documentId: string,
    private wanted: string | null = null,
  ) {}

  private coderList(): { id: string; name: string }[] {
    const fromItems = this.items[0]?.coders;
    if (fromItems?.length) {
      return fromItems.map((c) => ({ id: c.coderId, name: c.coder?.name ?? "A coder" }));
    }
    return (this.readiness?.assignments ?? []).map((a) => ({
      id: a.coderId,
      name: a.coder?.name ?? "A coder",
    }));
  }

  codeName(id: string): string {
    return this.codes.get(id)?.name ?? "a code no longer in the codebook";
  }

  coderName(id: string | null | undefined): string {
    return this.coders.find((c) => c.id === id)?.name ?? "a coder";
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const data = await query(ConsensusReviewDocument, {
        projectId: this.projectId,
        documentId: this.documentId,
      });
      this.me = data.me.id;
      this.project = data.project;
      this.document = data.document;
      this.items = data.disagreements;
      this.loadError = null;
      if (!this.blocks.length) this.blocks = unitBlocks(data.document);
      const wanted = this.wanted;
      this.wanted = null;
      if (wanted && this.items.some((i) => i.key === wanted)) {
        this.currentKey = wanted;
      } else if (!this.currentKey || !this.items.some((i) => i.key === this.currentKey)) {
        this.currentKey =
          this.items.find((i) => i.status === "OPEN")?.key ?? this.items[0]?.key ?? null;
        if (wanted) {
          this.note = this.items.length
            ? "The item the link pointed to is not in this document's queue any more (its codings may have changed). Showing the first open item instead."
            : "The item the link pointed to is not in this document's queue: the document has no items.";
        }
      }
      await Promise.all([this.loadReadiness(), this.loadLog()]);
    } catch (error) {
      this.loadError = error instanceof ApiError ? error : new ApiError(String(error), "INTERNAL");
    } finally {
      this.loading = false;
    }
  }

  async loadItems(): Promise<void> {
    const data = await query(ConsensusItemsDocument, { documentId: this.documentId });
    // An item this lead just decided may be newer here than in a read that left earlier.
    const held = new Map(this.items.map((i) => [i.key, i]));
    this.items = data.disagreements.map((fresh) => {
      const mine = held.get(fresh.key);
      return mine && mine.id === fresh.id && mine.version > fresh.version ? mine : fresh;
    });
  }

  async loadReadiness(): Promise<void> {
    try {
      const data = await query(ConsensusReadinessOfDocument, { documentId: this.documentId });
      this.readiness = data.consensusReadiness;
      this.readinessRefused = null;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "FORBIDDEN") throw error;
      this.readiness = null;
      this.readinessRefused = error.message;
    }
  }

  async loadLog(): Promise<void> {
    try {
      const data = await query(DocumentDecisionsDocument, { projectId: this.projectId });
      this.log = data.decisionLog;
      this.logRefused = null;
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== "FORBIDDEN") throw error;
      this.log = [];
      this.logRefused = error.message;
    }
  }

  /** Follow other leads' decisions live; returns the function that stops listening. */
  listen(): () => void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const parts = new Set<"items" | "readiness" | "log" | "all">();
    const flush = () => {
      timer = null;
      const wanted = new Set(parts);
      parts.clear();
      const work: Promise<void>[] = [];
      if (wanted.has("all")) work.push(this.load());
      else {
        if (wanted.has("items")) work.push(this.loadItems());
        if (wanted.has("readiness")) work.push(this.loadReadiness());
        if (wanted.has("log")) work.push(this.loadLog());
      }
      void Promise.all(work).catch(() => undefined);
    };
    const want = (...which: ("items" | "readiness" | "log" | "all")[]) => {
      for (const w of which) parts.add(w);
      timer ??= setTimeout(flush, 150);
    };
    const unsubscribe = subscribe(ConsensusEventsDocument, { projectId: this.projectId }, (d) => {
      const event = d.projectEvents;
      const here = event.documentId === this.documentId;
      if (event.kind.startsWith("consensus.") && here) {
        want("items", "readiness", "log");
        if (event.actor && event.actor.id !== this.me) {
          this.heard = { text: describeEvent(event), eventId: event.id };
        }
      } else if (event.kind.startsWith("code.")) {
        want("all");
      } else if (event.kind.startsWith("assignment.") && here) {
        want("readiness");
      } else if (event.kind.startsWith("project.")) {
        want("log");
      }
    });
    const offReconnect = onReconnect(() => want("all"));
    return () => {
      unsubscribe();
      offReconnect();
      if (timer) clearTimeout(timer);
    };
  }

  step(delta: 1 | -1): void {
    const keys = this.visible;
    if (keys.length === 0) return;
    const at = keys.findIndex((i) => i.key === this.currentKey);
    const next = at < 0 ? (delta > 0 ? 0 : keys.length - 1) : at + delta;
    const target = keys[Math.min(keys.length - 1, Math.max(0, next))];
    if (target) this.currentKey = target.key;
  }

  goToNextOpen(): void {
    const next = nextOpen(this.visible, this.currentKey) ?? nextOpen(this.items, this.currentKey);
    if (next) this.currentKey = next;
  }

  private replace(item: Item): void {
    this.items = this.items.map((i) => (i.key === item.key ? item : i));
  }

  async start(force: boolean): Promise<Outcome> {
    try {
      const data = await mutate(StartConsensusDocument, { documentId: this.documentId, force });
      const result = data.startConsensus;
      if (result.__typename !== "ConsensusSession") {
        return { ok: false, conflict: result.code === "CONFLICT", message: result.message };
      }
      await this.loadItems();
      this.currentKey = this.items.find((i) => i.status === "OPEN")?.key ?? this.currentKey;
      await Promise.all([this.loadReadiness(), this.loadLog()]);
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  }

  /** Decide `item` (as it was when the lead began deciding: its version travels). */
  async resolve(item: Item, choice: Choice, rationale: string): Promise<Outcome> {
    if (!item.id) return { ok: false, conflict: false, message: "Start consensus first." };
    try {
      const data = await mutate(ResolveItemDocument, {
        itemId: item.id,
        resolution: resolutionInput(choice),
        version: item.version,
        rationale: rationale.trim() || null,
      });
      const result = data.resolveDisagreement;
      if (result.__typename !== "DisagreementItem") {
        if (result.code === "CONFLICT") await this.loadItems();
        return { ok: false, conflict: result.code === "CONFLICT", message: result.message };
      }
      this.replace(result);
      void Promise.all([this.loadReadiness(), this.loadLog()]).catch(() => undefined);
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  }

  async reopen(item: Item, rationale: string): Promise<Outcome> {
    if (!item.id) return { ok: false, conflict: false, message: "Start consensus first." };
    try {
      const data = await mutate(ReopenItemDocument, {
        itemId: item.id,
        version: item.version,
        rationale: rationale.trim() || null,
      });
      const result = data.reopenDisagreement;
      if (result.__typename !== "DisagreementItem") {
        if (result.code === "CONFLICT") await this.loadItems();
        return { ok: false, conflict: result.code === "CONFLICT", message: result.message };
      }
      this.replace(result);
      void Promise.all([this.loadReadiness(), this.loadLog()]).catch(() => undefined);
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  }

  async complete(): Promise<Outcome> {
    try {
      const data = await mutate(CompleteConsensusDocument, { documentId: this.documentId });
      const result = data.completeConsensus;
      if (result.__typename !== "ConsensusSession") {
        return { ok: false, conflict: result.code === "CONFLICT", message: result.message };
      }
      await Promise.all([this.loadReadiness(), this.loadLog()]);
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  }
}

/** The document's units as the transcript's blocks: speaker turns, else paragraphs. */
function unitBlocks(doc: ConsensusReviewQuery["document"]): TranscriptBlock[] {
  const turns = doc.turns.starts.length > 0;
  const t = turns ? doc.turns : { ...doc.paragraphs, speakers: [], startTimes: [] };
  const times = (t.startTimes ?? []) as (number | null)[];
  const units = t.starts.map((start, i) => ({
    start,
    end: t.ends[i] as number,
    speaker: t.speakers[i] ?? null,
    startTime: times[i] ?? null,
  }));
  return blocksFor(doc.text, units, turns ? "turn" : "paragraph");
}

function describeEvent(event: { kind: string; actor: { name: string } | null }): string {
  const who = event.actor?.name ?? "Someone";
  const what: Record<string, string> = {
    "consensus.started": "started consensus on this document",
    "consensus.resolved": "resolved an item",
    "consensus.reopened": "reopened an item",
    "consensus.completed": "completed consensus on this document",
  };
  return `${who} ${what[event.kind] ?? "changed this document's consensus"}.`;
}
