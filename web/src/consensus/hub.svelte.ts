// The consensus hub of a project: where consensus stands per document, the codebook to
// consolidate, and the decision log, kept live. Verbs return the API's answer; the
// components show it.
import { ApiError, mutate, onReconnect, present, query, subscribe } from "../lib/graphql/client";
import {
  ConsensusHubDocument,
  HubDecisionsDocument,
  HubEventsDocument,
  MergeCodesDocument,
  MoveCodeWithReasonDocument,
  RenameCodeWithReasonDocument,
  RetireCodeWithReasonDocument,
  UndoMergeDocument,
  type CodeTargetInput,
  type ConsensusHubQuery,
  type HubDecisionsQuery,
} from "../lib/graphql/generated";

export type HubCode = ConsensusHubQuery["project"]["codes"][number];
export type HubDocument = NonNullable<ConsensusHubQuery["consensusOverview"]>[number];
export type HubDecision = HubDecisionsQuery["decisionLog"][number];

export type Done = { ok: true; message: string } | { ok: false; message: string };

export class Hub {
  project = $state<ConsensusHubQuery["project"] | null>(null);
  documents = $state<HubDocument[]>([]);
  log = $state<HubDecision[]>([]);
  loadError = $state<unknown>(null);
  loading = $state(true);

  readonly codes = $derived(this.project?.codes ?? []);
  readonly live = $derived(this.codes.filter((c) => c.status !== "MERGED"));
  readonly isLead = $derived(this.project?.myRole === "LEAD");

  constructor(readonly projectId: string) {}

  code(id: string): HubCode | undefined {
    return this.codes.find((c) => c.id === id);
  }

  async load(): Promise<void> {
    try {
      const [hub, log] = await Promise.all([
        query(ConsensusHubDocument, { projectId: this.projectId }),
        query(HubDecisionsDocument, { projectId: this.projectId }),
      ]);
      this.project = hub.project;
      this.documents = present(hub.consensusOverview, "consensus overview");
      this.log = log.decisionLog;
      this.loadError = null;
    } catch (error) {
      this.loadError = error;
    } finally {
      this.loading = false;
    }
  }

  /** Refresh on every consensus, codebook and project decision; returns the stop. */
  listen(): () => void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void this.load();
      }, 200);
    };
    const unsubscribe = subscribe(HubEventsDocument, { projectId: this.projectId }, (d) => {
      const kind = d.projectEvents.kind;
      if (/^(consensus|code|project|assignment|synthesis)\./.test(kind)) soon();
    });
    const off = onReconnect(soon);
    return () => {
      unsubscribe();
      off();
      if (timer) clearTimeout(timer);
    };
  }

  private async run<T extends { __typename: string }>(
    work: () => Promise<T>,
    success: (result: T) => string | null,
  ): Promise<Done> {
    try {
      const result = await work();
      const ok = success(result);
      if (ok === null) {
        const problem = result as unknown as { message?: string };
        return { ok: false, message: problem.message ?? "The change was refused." };
      }
      await this.load();
      return { ok: true, message: ok };
    } catch (error) {
      return { ok: false, message: error instanceof ApiError ? error.message : String(error) };
    }
  }

  async merge(
    sourceIds: string[],
    target: CodeTargetInput,
    rationale: string,
  ): Promise<Done & { eventId?: string }> {
    let eventId: string | undefined;
    const done = await this.run(
      async () =>
        (await mutate(MergeCodesDocument, { sourceIds, target, rationale: rationale || null }))
          .mergeCodes,
      (r) => {
        if (r.__typename !== "CodeMerge") return null;
        eventId = r.eventId;
        const c = r.change;
        return `Merged into “${r.target.name}”: ${c.repointedCount} coding(s) recoded, ${c.joinedCount} joined.`;
      },
    );
    return eventId ? { ...done, eventId } : done;
  }

  undoMerge(eventId: string, rationale = ""): Promise<Done> {
    return this.run(
      async () =>
        (await mutate(UndoMergeDocument, { eventId, rationale: rationale || null })).undoMerge,
      (r) =>
        r.__typename === "MergeUndone"
          ? `Merge undone: ${r.restoredCodingCount} coding(s) restored.`
          : null,
    );
  }

  rename(code: HubCode, name: string, rationale: string): Promise<Done> {
    return this.run(
      async () =>
        (
          await mutate(RenameCodeWithReasonDocument, {
            id: code.id,
            name,
            version: code.version,
            rationale: rationale || null,
          })
        ).renameCode,
      (r) => (r.__typename === "Code" ? `Renamed to “${r.name}”.` : null),
    );
  }

  move(code: HubCode, parentId: string | null, rationale: string): Promise<Done> {
    return this.run(
      async () =>
        (
          await mutate(MoveCodeWithReasonDocument, {
            id: code.id,
            parentId,
            version: code.version,
            rationale: rationale || null,
          })
        ).moveCode,
      (r) => (r.__typename === "Code" ? `Moved: now “${r.path}”.` : null),
    );
  }

  retire(code: HubCode, rationale: string): Promise<Done> {
    return this.run(
      async () =>
        (
          await mutate(RetireCodeWithReasonDocument, {
            id: code.id,
            version: code.version,
            rationale: rationale || null,
          })
        ).retireCode,
      (r) => (r.__typename === "Code" ? `Retired “${code.name}”.` : null),
    );
  }
}
