// The save queue: every change to a coder's layer shows at once in the workspace, is
// written here first (IndexedDB, so it survives a reload and a lost connection), and is
// sent to the server in order, each with an idempotency key, so a change sent twice
// (its answer lost) is made once.
//
// Sending stops while the server cannot be reached (retried with a growing wait, and at
// once when the browser says it is online again), while the session has expired (until
// `resume`, which the in-place login calls; a request that succeeds elsewhere resumes it
// too), and on a CONFLICT, until the coder has chosen a version.

import type { Change, IdRecord, QueueStore, QueuedChange } from "./queueStore";

export type { Change, QueuedChange } from "./queueStore";

/** What the server answered: the coding's id and version, or a user error. */
export type SendResult =
  | { ok: true; id: string; version: number }
  | { ok: false; code: string; message: string };

/** The server, as the queue sees it. A request that fails as a whole throws an error
 * with a `code` ("NETWORK", "UNAUTHENTICATED", ...). */
export interface Transport {
  apply(change: Extract<Change, { kind: "apply" }>, key: string): Promise<SendResult>;
  update(
    id: string,
    changes: Extract<Change, { kind: "update" }>["changes"],
    version: number,
    key: string,
  ): Promise<SendResult>;
  delete(id: string, key: string): Promise<SendResult>;
}

export type QueueState = "saved" | "saving" | "offline" | "signed-out" | "conflict";

export interface Rejection {
  change: QueuedChange;
  code: string;
  message: string;
}

export interface QueueEvents {
  /** The server made a change: `id` is the coding's server id. */
  saved?(change: QueuedChange, id: string, version: number): void;
  /** The server refused a change for good (it was dropped): the view should reload. */
  rejected?(rejection: Rejection): void;
  /** A CONFLICT: sending waits until `resolveConflict`. */
  conflict?(rejection: Rejection): void;
  /** The state or the number of waiting changes changed. */
  changed?(): void;
}

export interface QueueOptions {
  newKey?: () => string;
  /** Waits between retries while offline, in ms; the last repeats. */
  backoff?: readonly number[];
  /** setTimeout, replaceable in tests. */
  schedule?: (fn: () => void, ms: number) => unknown;
}

const LOCAL_PREFIX = "local:";

export function newLocalId(): string {
  return LOCAL_PREFIX + crypto.randomUUID();
}

export function isLocalId(lid: string): boolean {
  return lid.startsWith(LOCAL_PREFIX);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "NETWORK";
}

export class SaveQueue {
  private changes: QueuedChange[] = [];
  private ids = new Map<string, IdRecord>();
  private nextSeq = 1;
  private running: Promise<void> | null = null;
  private blocked: "offline" | "signed-out" | "conflict" | null = null;
  private retries = 0;
  private retryTimer = false;
  private readonly newKey: () => string;
  private readonly backoff: readonly number[];
  private readonly schedule: (fn: () => void, ms: number) => unknown;
  private loaded: Promise<void>;

  constructor(
    private readonly store: QueueStore,
    private readonly transport: Transport,
    private readonly events: QueueEvents = {},
    options: QueueOptions = {},
  ) {
    this.newKey = options.newKey ?? (() => crypto.randomUUID());
    this.backoff = options.backoff ?? [1000, 2000, 5000, 10_000, 30_000];
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.loaded = this.load();
  }

  private async load(): Promise<void> {
    const { changes, ids } = await this.store.load();
    this.changes = changes;
    for (const record of ids) this.ids.set(record.lid, record);
    this.nextSeq = Math.max(0, ...changes.map((c) => c.seq)) + 1;
  }

  /** Resolves when the stored changes have been read. */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** Changes not yet confirmed by the server, oldest first. */
  get waiting(): readonly QueuedChange[] {
    return this.changes;
  }

  get state(): QueueState {
    if (this.blocked) return this.blocked;
    return this.changes.length ? "saving" : "saved";
  }

  /** The server id of a coding, if the server has made it. */
  serverId(lid: string): string | null {
    return this.ids.get(lid)?.id ?? (isLocalId(lid) ? null : lid);
  }

  /** The local id the workspace knows a server coding by (the server id itself unless
   * the coding was made on this device). */
  localIdOf(serverId: string): string {
    this.reverse ??= new Map(
      [...this.ids.values()].filter((r) => r.lid !== r.id).map((r) => [r.id, r.lid]),
    );
    return this.reverse.get(serverId) ?? serverId;
  }

  private reverse: Map<string, string> | null = null;

  /** Tell the queue the versions of codings read from the server. */
  know(records: readonly { id: string; version: number }[]): void {
    for (const { id, version } of records) {
      const known = this.ids.get(id);
      if (!known || known.version < version) this.ids.set(id, { lid: id, id, version });
    }
  }

  /** Queue a change; it is stored before this resolves. */
  async enqueue(change: Change): Promise<QueuedChange> {
    await this.loaded;
    const queued: QueuedChange = { seq: this.nextSeq++, key: this.newKey(), change };
    this.changes.push(queued);
    // Counted as waiting at once, before IndexedDB has it: the status line must never
    // say "Saved" while a change is unsent.
    this.events.changed?.();
    await this.store.put(queued);
    void this.flush();
    return queued;
  }

  /** Start sending again: after a login, or when the browser is back online. */
  resume(): void {
    if (this.blocked === "conflict") return;
    this.blocked = null;
    this.retries = 0;
    this.events.changed?.();
    void this.flush();
  }

  /** After a CONFLICT: keep the server's version (drop the change), or send mine again
   * over the server's current `version` (a new request, so a new key). */
  async resolveConflict(choice: { keep: "theirs" } | { keep: "mine"; version?: number; change?: Change }): Promise<void> {
    const first = this.changes[0];
    if (this.blocked !== "conflict" || !first) return;
    if (choice.keep === "theirs") {
      await this.drop(first);
    } else {
      const again: QueuedChange = {
        seq: first.seq,
        key: this.newKey(),
        change: choice.change ?? first.change,
      };
      if (choice.version !== undefined) {
        const lid = again.change.lid;
        const record = this.ids.get(lid);
        if (record) this.ids.set(lid, { ...record, version: choice.version });
      }
      this.changes[0] = again;
      await this.store.put(again);
    }
    this.blocked = null;
    this.events.changed?.();
    void this.flush();
  }

  private async drop(change: QueuedChange): Promise<void> {
    this.changes = this.changes.filter((c) => c !== change);
    await this.store.remove(change.seq);
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    const wait = this.backoff[Math.min(this.retries, this.backoff.length - 1)] ?? 1000;
    this.retries++;
    this.retryTimer = true;
    this.schedule(() => {
      this.retryTimer = false;
      if (this.blocked === "offline") {
        this.blocked = null;
        void this.flush();
      }
    }, wait);
  }

  /** Send waiting changes in order until none is left or sending must stop; resolves
   * when that run ends (a call during a run joins it). */
  flush(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
      this.events.changed?.();
    });
    return this.running;
  }

  private async run(): Promise<void> {
    await this.loaded;
    while (!this.blocked) {
      const next = this.changes[0];
      if (!next) break;
      await this.sendOne(next);
    }
  }

  private async sendOne(queued: QueuedChange): Promise<void> {
    const change = queued.change;
    let result: SendResult;
    try {
      if (change.kind === "apply") {
        result = await this.transport.apply(change, queued.key);
      } else {
        if (!queued.sent) {
          const record = this.ids.get(change.lid);
          const id = record?.id ?? (isLocalId(change.lid) ? null : change.lid);
          if (id === null) {
            // Its coding was never made (the server refused it): nothing to change.
            await this.drop(queued);
            return;
          }
          queued.sent = { id, version: record?.version ?? 1 };
          await this.store.put(queued);
        }
        result =
          change.kind === "update"
            ? await this.transport.update(queued.sent.id, change.changes, queued.sent.version, queued.key)
            : await this.transport.delete(queued.sent.id, queued.key);
      }
    } catch (error) {
      const code = errorCode(error);
      if (code === "UNAUTHENTICATED") {
        this.blocked = "signed-out";
      } else {
        this.blocked = "offline";
        this.retryLater();
      }
      this.events.changed?.();
      return;
    }
    this.retries = 0;
    if (result.ok) {
      const record: IdRecord = { lid: change.lid, id: result.id, version: result.version };
      this.ids.set(change.lid, record);
      this.reverse = null;
      if (isLocalId(change.lid)) await this.store.putId(record);
      await this.drop(queued);
      this.events.saved?.(queued, result.id, result.version);
      return;
    }
    const rejection: Rejection = { change: queued, code: result.code, message: result.message };
    if (result.code === "CONFLICT") {
      this.blocked = "conflict";
      this.events.conflict?.(rejection);
      return;
    }
    if (result.code === "UNAUTHENTICATED") {
      this.blocked = "signed-out";
      return;
    }
    await this.drop(queued);
    this.events.rejected?.(rejection);
  }
}
