// One save queue per person on this device, kept for the life of the page, so changes
// keep being sent after the coder leaves the workspace for another screen.
import { type QueueEvents, SaveQueue } from "../lib/queue";
import { indexedDbStore, memoryStore } from "../lib/queueStore";
import { transport } from "./api";

let current: { userId: string; queue: SaveQueue; events: QueueEvents } | null = null;

/** The queue of `userId`; `events` replaces the handlers of the screen shown before. */
export function sharedQueue(userId: string, events: QueueEvents): SaveQueue {
  if (current?.userId !== userId) {
    const handlers: QueueEvents = {};
    const store = typeof indexedDB === "undefined" ? memoryStore() : indexedDbStore(`accord-queue-${userId}`);
    const queue = new SaveQueue(
      store,
      transport,
      {
        saved: (...a) => handlers.saved?.(...a),
        rejected: (...a) => handlers.rejected?.(...a),
        conflict: (...a) => handlers.conflict?.(...a),
        changed: () => handlers.changed?.(),
      },
      { backoff: [1000, 2000, 4000, 8000] },
    );
    current = { userId, queue, events: handlers };
    window.addEventListener("online", () => queue.resume());
  }
  Object.assign(current.events, events);
  void current.queue.flush();
  return current.queue;
}

/** Whether changes are still waiting to be sent (the page asks before it is left). */
export function unsentChanges(): number {
  return current?.queue.waiting.length ?? 0;
}
