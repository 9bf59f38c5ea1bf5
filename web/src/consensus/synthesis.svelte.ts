// The synthesis of a project: the categories, the one being written (condensate,
// analytic text, chosen quotes) with autosave on its version, the quotes filtered by
// participant attributes, the coverage matrix, and live changes by other leads.
//
// Every save carries the version the editor last saw. When another lead saved first the
// API answers CONFLICT: if they changed another field only, the save is sent again on
// the new version; if they changed this one, the person chooses (quotes.ts `clash`).
import { ApiError, mutate, onReconnect, query, subscribe } from "../lib/graphql/client";
import {
  SaveAnalyticTextDocument,
  SaveCondensateDocument,
  SaveQuotesDocument,
  SynthesisCategoryDocument,
  SynthesisCoverageOfDocument,
  SynthesisEventsDocument,
  SynthesisPageDocument,
  type CodeLevel,
  type SynthesisCategoryQuery,
  type SynthesisCoverageOfQuery,
  type SynthesisPageQuery,
} from "../lib/graphql/generated";
import { session } from "../lib/session.svelte";
import { status } from "../lib/status.svelte";
import { attributeChoices, clash, moveItem } from "./quotes";

export type Field = "condensate" | "analyticText";
export type Quote = SynthesisCategoryQuery["categoryContent"]["consensusQuotes"][number];
export type Coverage = SynthesisCoverageOfQuery["synthesisCoverage"];

export interface Clash {
  field: Field | "quotes";
  theirs: string;
  mine: string;
}

const AUTOSAVE_MS = 800;

export class Synthesis {
  project = $state<SynthesisPageQuery["project"] | null>(null);
  loadError = $state<unknown>(null);
  categoryId = $state<string | null>(null);
  title = $state("");
  quotes = $state<Quote[]>([]);
  version = $state(0);
  updatedAt = $state<string | null>(null);
  /** What the editors hold. */
  texts = $state<Record<Field, string>>({ condensate: "", analyticText: "" });
  /** What the server last said, per field: a field is dirty when the editor differs. */
  base = $state<Record<Field, string>>({ condensate: "", analyticText: "" });
  clash = $state<Clash | null>(null);
  filters = $state<Record<string, string[]>>({});
  coverage = $state<Coverage | null>(null);
  coverageAttribute = $state("participant");
  coverageLevel = $state<CodeLevel>("CATEGORY");
  /** Another lead's change to the open category, to announce. */
  heard = $state<{ text: string; id: string } | null>(null);

  readonly categories = $derived(this.headings());
  readonly attributes = $derived(attributeChoices(this.project?.documents.nodes ?? []));
  readonly chosen = $derived(
    this.quotes.filter((q) => q.position !== null).sort((a, b) => (a.position ?? 0) - (b.position ?? 0)),
  );
  readonly others = $derived(this.quotes.filter((q) => q.position === null));
  readonly isLead = $derived(this.project?.myRole === "LEAD");

  private timers: Partial<Record<Field, ReturnType<typeof setTimeout>>> = {};
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly projectId: string) {}

  /** Codes a synthesis is written for: headings, and codes with codes under them. */
  private headings() {
    const codes = (this.project?.codes ?? []).filter((c) => c.status !== "MERGED" && !c.proposedById);
    const parents = new Set(codes.map((c) => c.parentId).filter(Boolean));
    return codes.filter((c) => !c.codable || parents.has(c.id));
  }

  dirty(field: Field): boolean {
    return this.texts[field] !== this.base[field];
  }

  async load(): Promise<void> {
    try {
      this.project = (await query(SynthesisPageDocument, { projectId: this.projectId })).project;
      this.loadError = null;
      const first = this.categoryId ?? this.categories[0]?.id ?? null;
      if (first) await this.open(first);
      await this.loadCoverage();
    } catch (error) {
      this.loadError = error;
    }
  }

  async open(codeId: string): Promise<void> {
    if (this.categoryId && this.categoryId !== codeId) await this.flush();
    this.categoryId = codeId;
    this.clash = null;
    await this.refresh(true);
  }

  private filterInput() {
    return Object.entries(this.filters)
      .filter(([, values]) => values.length > 0)
      .map(([name, values]) => ({ name, values }));
  }

  /** Read the open category again; `replace` also resets the editors. */
  async refresh(replace = false): Promise<void> {
    const codeId = this.categoryId;
    if (!codeId) return;
    const filters = this.filterInput();
    const data = await query(SynthesisCategoryDocument, {
      codeId,
      attributes: filters.length ? filters : null,
    });
    if (this.categoryId !== codeId) return;
    const c = data.categoryContent;
    // A read that left before a save of ours came back is older than what we hold.
    if (!replace && c.version < this.version) return;
    this.title = c.code.path;
    this.quotes = c.consensusQuotes;
    this.version = c.version;
    this.updatedAt = c.updatedAt;
    const theirs: Record<Field, string> = { condensate: c.condensate, analyticText: c.analyticText };
    for (const field of ["condensate", "analyticText"] as const) {
      if (replace || !this.dirty(field)) {
        this.texts[field] = theirs[field];
      } else if (clash(this.base[field], theirs[field]) === "conflict") {
        this.clash = { field, theirs: theirs[field], mine: this.texts[field] };
      }
      this.base[field] = theirs[field];
    }
  }

  async loadCoverage(): Promise<void> {
    this.coverage = (
      await query(SynthesisCoverageOfDocument, {
        projectId: this.projectId,
        attribute: this.coverageAttribute,
        level: this.coverageLevel,
      })
    ).synthesisCoverage;
  }

  /** The editor changed: save after a pause in typing. */
  edit(field: Field, text: string): void {
    this.texts[field] = text;
    clearTimeout(this.timers[field]);
    this.timers[field] = setTimeout(() => void this.save(field), AUTOSAVE_MS);
  }

  /** Save whatever is pending now (leaving the category or the screen). */
  async flush(): Promise<void> {
    for (const field of ["condensate", "analyticText"] as const) {
      if (this.timers[field]) {
        clearTimeout(this.timers[field]);
        delete this.timers[field];
        await this.save(field);
      }
    }
    await this.chain;
  }

  /** Saves run one at a time, each on the version the previous one returned. */
  save(field: Field): Promise<void> {
    delete this.timers[field];
    this.chain = this.chain.then(() => this.send(field)).catch(() => undefined);
    return this.chain;
  }

  private async send(field: Field, retried = false): Promise<void> {
    const codeId = this.categoryId;
    if (!codeId || !this.dirty(field) || this.clash) return;
    const text = this.texts[field];
    status.saving();
    try {
      const variables = { codeId, text, version: this.version };
      const result =
        field === "condensate"
          ? (await mutate(SaveCondensateDocument, variables)).setCondensate
          : (await mutate(SaveAnalyticTextDocument, variables)).setAnalyticText;
      if (result.__typename === "CategoryContent") {
        this.version = result.version;
        this.updatedAt = result.updatedAt;
        this.base[field] = text;
        status.saved();
        return;
      }
      if (result.code === "CONFLICT" && !retried) {
        const before = this.base[field];
        await this.refresh();
        if (this.clash) {
          status.error("Someone else changed this text; choose which version to keep.");
          return;
        }
        this.base[field] = before;
        return this.send(field, true);
      }
      status.error(result.message);
    } catch (error) {
      status.error(error instanceof ApiError ? error.message : String(error));
    }
  }

  /** After a clash: keep this person's text (saved over theirs) or take theirs. */
  async settle(keep: "mine" | "theirs"): Promise<void> {
    const found = this.clash;
    if (!found) return;
    this.clash = null;
    if (found.field === "quotes") {
      await this.refresh();
      return;
    }
    if (keep === "theirs") {
      this.texts[found.field] = found.theirs;
      this.base[found.field] = found.theirs;
      status.saved();
    } else {
      this.texts[found.field] = found.mine;
      await this.save(found.field);
    }
  }

  /** Add a quote at the end of the chosen ones. Quote changes, like text saves, run one
   * at a time, each computed from the quotes as the previous one left them. */
  chooseQuote(codingId: string): Promise<boolean> {
    return this.queued(() => {
      const ids = this.chosen.map((q) => q.coding.id);
      return ids.includes(codingId) ? null : [...ids, codingId];
    });
  }

  dropQuote(codingId: string): Promise<boolean> {
    return this.queued(() => this.chosen.map((q) => q.coding.id).filter((id) => id !== codingId));
  }

  /** Move the chosen quote at `from` to `to`. */
  moveQuote(from: number, to: number): Promise<boolean> {
    return this.queued(() => {
      const ids = this.chosen.map((q) => q.coding.id);
      if (from === to || to < 0 || to >= ids.length) return null;
      return moveItem(ids, from, to);
    });
  }

  private queued(next: () => string[] | null): Promise<boolean> {
    const done = this.chain.then(async () => {
      const ids = next();
      return ids === null ? false : this.setQuotes(ids);
    });
    this.chain = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Choose and order the quotes (ids of consensus codings, in order). */
  private async setQuotes(ids: string[]): Promise<boolean> {
    const codeId = this.categoryId;
    if (!codeId) return false;
    status.saving();
    try {
      const data = await mutate(SaveQuotesDocument, { codeId, codingIds: ids, version: this.version });
      const result = data.setQuotes;
      if (result.__typename === "CategoryContent") {
        this.version = result.version;
        const place = new Map(result.quotes.map((q, i) => [q.id, i]));
        this.quotes = this.quotes.map((q) => ({ ...q, position: place.get(q.coding.id) ?? null }));
        status.saved();
        return true;
      }
      if (result.code === "CONFLICT") {
        await this.refresh();
        this.clash = { field: "quotes", theirs: "", mine: "" };
        status.error("Someone else changed the quotes meanwhile; they are shown as they are now.");
        return false;
      }
      status.error(result.message);
      return false;
    } catch (error) {
      status.error(error instanceof ApiError ? error.message : String(error));
      return false;
    }
  }

  listen(): () => void {
    const unsubscribe = subscribe(SynthesisEventsDocument, { projectId: this.projectId }, (d) => {
      const event = d.projectEvents;
      const mine = event.actor?.id === session.user?.id;
      if (event.kind.startsWith("synthesis.") && event.subjectId === this.categoryId && !mine) {
        void this.refresh().catch(() => undefined);
        this.heard = { text: `${event.actor?.name ?? "Someone"} changed this category.`, id: event.id };
      }
      if (/^(consensus|code|synthesis)\./.test(event.kind)) void this.loadCoverage().catch(() => undefined);
    });
    const off = onReconnect(() => void this.refresh().catch(() => undefined));
    return () => {
      unsubscribe();
      off();
    };
  }
}
