// Where the save queue keeps its changes: IndexedDB in the browser (so they survive a
// reload, a crash or a lost connection), or memory in tests. Both behind one interface.

/** A change to a coder's layer, as the workspace made it. `lid` names the coding on this
 * device: its server id for a coding that came from the server, else a local id until
 * the server has made it. */
export type Change =
  | {
      kind: "apply";
      lid: string;
      documentId: string;
      codeId: string;
      start: number;
      end: number;
      memo: string | null;
      roundId: string | null;
    }
  | {
      kind: "update";
      lid: string;
      changes: { start?: number; end?: number; codeId?: string; memo?: string };
    }
  | { kind: "delete"; lid: string };

export interface QueuedChange {
  /** Order of the change; changes are sent in this order. */
  seq: number;
  /** Idempotency key: the server makes the change once however often it is sent. */
  key: string;
  change: Change;
  /** The server id and version it was first sent with, so a resend is the same request. */
  sent?: { id: string; version: number };
}

/** What the server calls a local coding, and its last known version. */
export interface IdRecord {
  lid: string;
  id: string;
  version: number;
}

export interface QueueStore {
  load(): Promise<{ changes: QueuedChange[]; ids: IdRecord[] }>;
  put(change: QueuedChange): Promise<void>;
  remove(seq: number): Promise<void>;
  putId(record: IdRecord): Promise<void>;
}

export function memoryStore(): QueueStore {
  const changes = new Map<number, QueuedChange>();
  const ids = new Map<string, IdRecord>();
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async load() {
      return {
        changes: [...changes.values()].sort((a, b) => a.seq - b.seq).map(copy),
        ids: [...ids.values()].map(copy),
      };
    },
    async put(change) {
      changes.set(change.seq, copy(change));
    },
    async remove(seq) {
      changes.delete(seq);
    },
    async putId(record) {
      ids.set(record.lid, copy(record));
    },
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** The queue of one person on this device: `name` should name the user, so a second
 * person logging in on the same browser never sends the first one's changes. */
export function indexedDbStore(name: string, factory: IDBFactory = indexedDB): QueueStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> => {
    opened ??= new Promise((resolve, reject) => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("changes", { keyPath: "seq" });
        req.result.createObjectStore("ids", { keyPath: "lid" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return opened;
  };
  const write = async (store: string, act: (s: IDBObjectStore) => void): Promise<void> => {
    const tx = (await db()).transaction(store, "readwrite");
    act(tx.objectStore(store));
    await done(tx);
  };
  return {
    async load() {
      const tx = (await db()).transaction(["changes", "ids"], "readonly");
      const [changes, ids] = await Promise.all([
        request(tx.objectStore("changes").getAll() as IDBRequest<QueuedChange[]>),
        request(tx.objectStore("ids").getAll() as IDBRequest<IdRecord[]>),
      ]);
      return { changes: changes.sort((a, b) => a.seq - b.seq), ids };
    },
    put: (change) => write("changes", (s) => s.put(change)),
    remove: (seq) => write("changes", (s) => s.delete(seq)),
    putId: (record) => write("ids", (s) => s.put(record)),
  };
}
