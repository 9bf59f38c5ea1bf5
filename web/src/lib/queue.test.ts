import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it } from "vitest";
import { type SendResult, SaveQueue, type Transport, isLocalId, newLocalId } from "./queue";
import { type Change, indexedDbStore, memoryStore } from "./queueStore";

/** A server in memory that honours idempotency keys like the real one, and can be
 * taken offline, logged out, or made to lose its answers. */
class FakeServer implements Transport {
  codings = new Map<string, { start: number; end: number; codeId: string; memo: string; version: number }>();
  answers = new Map<string, SendResult>();
  calls: string[] = [];
  offline = false;
  loggedOut = false;
  loseAnswers = false;
  private next = 1;

  private gate(): void {
    if (this.offline) throw Object.assign(new Error("offline"), { code: "NETWORK" });
    if (this.loggedOut) throw Object.assign(new Error("expired"), { code: "UNAUTHENTICATED" });
  }

  private once(key: string, make: () => SendResult): SendResult {
    const seen = this.answers.get(key);
    const result = seen ?? make();
    if (!seen && result.ok) this.answers.set(key, result);
    if (this.loseAnswers) throw Object.assign(new Error("lost"), { code: "NETWORK" });
    return result;
  }

  async apply(change: Extract<Change, { kind: "apply" }>, key: string): Promise<SendResult> {
    this.gate();
    this.calls.push(`apply ${key}`);
    return this.once(key, () => {
      const id = `s${this.next++}`;
      this.codings.set(id, { start: change.start, end: change.end, codeId: change.codeId, memo: "", version: 1 });
      return { ok: true, id, version: 1 };
    });
  }

  async update(
    id: string,
    changes: { start?: number; end?: number },
    version: number,
    key: string,
  ): Promise<SendResult> {
    this.gate();
    this.calls.push(`update ${key}`);
    return this.once(key, () => {
      const coding = this.codings.get(id);
      if (!coding) return { ok: false, code: "NOT_FOUND", message: "Coding not found." };
      if (coding.version !== version) return { ok: false, code: "CONFLICT", message: "changed elsewhere" };
      Object.assign(coding, changes, { version: coding.version + 1 });
      return { ok: true, id, version: coding.version };
    });
  }

  async delete(id: string, key: string): Promise<SendResult> {
    this.gate();
    this.calls.push(`delete ${key}`);
    return this.once(key, () => {
      if (!this.codings.delete(id)) return { ok: false, code: "NOT_FOUND", message: "Coding not found." };
      return { ok: true, id, version: 0 };
    });
  }
}

const apply = (lid: string, start: number, end: number): Change => ({
  kind: "apply",
  lid,
  documentId: "d1",
  codeId: "c1",
  start,
  end,
  memo: null,
  roundId: null,
});

/** Timers the test fires by hand. */
function manualTimers() {
  const pending: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => void pending.push(fn),
    fire: () => pending.splice(0).forEach((fn) => fn()),
    get count() {
      return pending.length;
    },
  };
}

let keys = 0;
const newKey = () => `key-${++keys}`;

describe("SaveQueue", () => {
  it("sends changes in order and maps local ids to the server's", async () => {
    const server = new FakeServer();
    const saved: string[] = [];
    const queue = new SaveQueue(memoryStore(), server, { saved: (c, id) => saved.push(`${c.change.kind}:${id}`) }, { newKey });
    const lid = newLocalId();
    expect(isLocalId(lid)).toBe(true);
    await queue.enqueue(apply(lid, 0, 5));
    await queue.enqueue({ kind: "update", lid, changes: { end: 9 } });
    await queue.enqueue({ kind: "update", lid, changes: { start: 1 } });
    await queue.flush();
    expect(queue.state).toBe("saved");
    expect(saved).toEqual(["apply:s1", "update:s1", "update:s1"]);
    expect(server.codings.get("s1")).toMatchObject({ start: 1, end: 9, version: 3 });
    expect(queue.serverId(lid)).toBe("s1");
  });

  it("waits while offline, keeps the order, and sends each change once when back", async () => {
    const server = new FakeServer();
    const timers = manualTimers();
    const queue = new SaveQueue(memoryStore(), server, {}, { newKey, schedule: timers.schedule });
    server.offline = true;
    const a = newLocalId();
    const b = newLocalId();
    await queue.enqueue(apply(a, 0, 5));
    await queue.enqueue(apply(b, 10, 15));
    await queue.flush();
    expect(queue.state).toBe("offline");
    expect(queue.waiting).toHaveLength(2);
    expect(timers.count).toBe(1);
    server.offline = false;
    timers.fire();
    await queue.flush();
    expect(queue.state).toBe("saved");
    expect([...server.codings.values()].map((c) => c.start)).toEqual([0, 10]);
  });

  it("never duplicates a change whose answer was lost", async () => {
    const server = new FakeServer();
    const timers = manualTimers();
    const queue = new SaveQueue(memoryStore(), server, {}, { newKey, schedule: timers.schedule });
    const lid = newLocalId();
    server.loseAnswers = true;
    await queue.enqueue(apply(lid, 0, 5));
    await queue.flush();
    expect(server.codings.size).toBe(1);
    expect(queue.state).toBe("offline");
    server.loseAnswers = false;
    timers.fire();
    await queue.flush();
    expect(server.codings.size).toBe(1);
    expect(server.calls).toHaveLength(2);
    expect(new Set(server.calls).size).toBe(1); // the same key both times
    expect(queue.serverId(lid)).toBe([...server.codings.keys()][0]);
  });

  it("resends an update with the version it first sent, so the replay matches", async () => {
    const server = new FakeServer();
    const timers = manualTimers();
    const queue = new SaveQueue(memoryStore(), server, {}, { newKey, schedule: timers.schedule });
    server.codings.set("s9", { start: 0, end: 4, codeId: "c1", memo: "", version: 4 });
    queue.know([{ id: "s9", version: 4 }]);
    server.loseAnswers = true;
    await queue.enqueue({ kind: "update", lid: "s9", changes: { end: 6 } });
    await queue.flush();
    server.loseAnswers = false;
    timers.fire();
    await queue.flush();
    expect(queue.state).toBe("saved");
    expect(server.codings.get("s9")).toMatchObject({ end: 6, version: 5 });
  });

  it("pauses when the session expires and resumes after login", async () => {
    const server = new FakeServer();
    const queue = new SaveQueue(memoryStore(), server, {}, { newKey });
    server.loggedOut = true;
    await queue.enqueue(apply(newLocalId(), 0, 5));
    await queue.flush();
    expect(queue.state).toBe("signed-out");
    await queue.flush();
    expect(server.calls).toHaveLength(0);
    server.loggedOut = false;
    queue.resume();
    await queue.flush();
    expect(queue.state).toBe("saved");
    expect(server.codings.size).toBe(1);
  });

  it("stops on a conflict until the coder chooses", async () => {
    const server = new FakeServer();
    const conflicts: string[] = [];
    const queue = new SaveQueue(memoryStore(), server, { conflict: (r) => conflicts.push(r.message) }, { newKey });
    server.codings.set("s100", { start: 0, end: 4, codeId: "c1", memo: "", version: 2 });
    queue.know([{ id: "s100", version: 1 }]); // stale: someone changed it meanwhile
    await queue.enqueue({ kind: "update", lid: "s100", changes: { end: 8 } });
    await queue.enqueue(apply(newLocalId(), 20, 25));
    await queue.flush();
    expect(queue.state).toBe("conflict");
    expect(conflicts).toEqual(["changed elsewhere"]);
    expect(server.codings.size).toBe(1); // the apply behind it waits
    await queue.resolveConflict({ keep: "mine", version: 2 });
    await queue.flush();
    expect(queue.state).toBe("saved");
    expect(server.codings.get("s100")).toMatchObject({ end: 8, version: 3 });
    expect(server.codings.size).toBe(2);
  });

  it("drops a change the server refuses, and the changes that depend on it", async () => {
    const server = new FakeServer();
    const rejected: string[] = [];
    const queue = new SaveQueue(memoryStore(), server, { rejected: (r) => rejected.push(r.code) }, { newKey });
    const original = server.apply.bind(server);
    server.apply = async (change, key) =>
      change.start < 0 ? { ok: false, code: "INVALID_INPUT", message: "bad" } : original(change, key);
    const lid = newLocalId();
    await queue.enqueue(apply(lid, -1, 5));
    await queue.enqueue({ kind: "update", lid, changes: { end: 7 } });
    await queue.enqueue({ kind: "delete", lid });
    await queue.enqueue(apply(newLocalId(), 1, 2));
    await queue.flush();
    expect(rejected).toEqual(["INVALID_INPUT"]);
    expect(queue.state).toBe("saved");
    expect(server.codings.size).toBe(1);
  });

  it("survives a reload: the changes and local ids are in IndexedDB", async () => {
    const factory = new IDBFactory();
    const server = new FakeServer();
    const timers = manualTimers();
    server.offline = true;
    const first = new SaveQueue(indexedDbStore("accord-queue-u1", factory), server, {}, { newKey, schedule: timers.schedule });
    const lid = newLocalId();
    await first.enqueue(apply(lid, 3, 9));
    await first.enqueue({ kind: "update", lid, changes: { memo: "why" } });
    await first.flush();
    expect(first.state).toBe("offline");

    // The page reloads: a new queue over the same database finds both changes.
    server.offline = false;
    const events: string[] = [];
    const second = new SaveQueue(indexedDbStore("accord-queue-u1", factory), server, {
      saved: (c) => events.push(c.change.kind),
    }, { newKey });
    await second.ready();
    expect(second.waiting.map((c) => c.change.kind)).toEqual(["apply", "update"]);
    await second.flush();
    expect(events).toEqual(["apply", "update"]);
    expect(server.codings.size).toBe(1);
    expect([...server.codings.values()][0]).toMatchObject({ start: 3, end: 9, memo: "why" });

    // And a third load knows the local id's server id, with nothing left to send.
    const third = new SaveQueue(indexedDbStore("accord-queue-u1", factory), server, {}, { newKey });
    await third.ready();
    expect(third.waiting).toHaveLength(0);
    expect(third.serverId(lid)).toBe([...server.codings.keys()][0]);
  });

  it("keeps each person's queue apart", async () => {
    const factory = new IDBFactory();
    const server = new FakeServer();
    server.offline = true;
    const mine = new SaveQueue(indexedDbStore("accord-queue-u1", factory), server, {}, { newKey, schedule: () => {} });
    await mine.enqueue(apply(newLocalId(), 0, 1));
    const theirs = new SaveQueue(indexedDbStore("accord-queue-u2", factory), server, {}, { newKey });
    await theirs.ready();
    expect(theirs.waiting).toHaveLength(0);
  });
});
