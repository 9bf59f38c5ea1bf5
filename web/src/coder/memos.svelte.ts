// Memos on the document and on codes: the coder's own, written directly (not queued:
// they are prose the coder is looking at, kept in the box until the server has them).
import { mutate, query } from "../lib/graphql/client";
import {
  WorkspaceCreateMemoDocument,
  WorkspaceMemosDocument,
  type WorkspaceMemosQuery,
  WorkspaceUpdateMemoDocument,
} from "../lib/graphql/generated";

export type Memo = WorkspaceMemosQuery["project"]["memos"][number];

export class Memos {
  all = $state.raw<Memo[]>([]);

  constructor(
    readonly projectId: string,
    private readonly meId: () => string | null,
  ) {}

  async load(): Promise<void> {
    const data = await query(WorkspaceMemosDocument, { projectId: this.projectId });
    this.all = data.project.memos;
  }

  /** The caller's own memo on a target, if any. */
  mine(targetType: "DOCUMENT" | "CODE", targetId: string): Memo | null {
    return this.all.find((m) => m.targetType === targetType && m.targetId === targetId && m.author?.id === this.meId()) ?? null;
  }

  /** Other people's memos on a target that the caller may read (a lead's, say). */
  others(targetType: "DOCUMENT" | "CODE", targetId: string): Memo[] {
    return this.all.filter((m) => m.targetType === targetType && m.targetId === targetId && m.author?.id !== this.meId());
  }

  /** Save the caller's memo; the error message, or null when saved. */
  async save(targetType: "DOCUMENT" | "CODE", targetId: string, text: string): Promise<string | null> {
    const existing = this.mine(targetType, targetId);
    try {
      if (existing) {
        const data = await mutate(WorkspaceUpdateMemoDocument, { id: existing.id, text, version: existing.version });
        if (data.updateMemo.__typename !== "Memo") return "message" in data.updateMemo ? data.updateMemo.message : "Not saved.";
      } else {
        const data = await mutate(WorkspaceCreateMemoDocument, { targetType, targetId, text });
        if (data.createMemo.__typename !== "Memo") return "message" in data.createMemo ? data.createMemo.message : "Not saved.";
      }
    } catch (error) {
      return error instanceof Error ? `${error.message} The memo is still in the box: save again later.` : "Not saved.";
    }
    await this.load();
    return null;
  }
}
