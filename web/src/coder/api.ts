// The workspace's conversation with the server: reads, and the save queue's transport.
import { ApiError, mutate, query } from "../lib/graphql/client";
import {
  WorkspaceApplyCodeDocument,
  WorkspaceDeleteCodingDocument,
  WorkspaceLayerDocument,
  type WorkspaceLayerQuery,
  WorkspaceUpdateCodingDocument,
} from "../lib/graphql/generated";
import type { SendResult, Transport } from "../lib/queue";
import type { Coding } from "./layer";

type Answer = { __typename: string; id?: string; version?: number; message?: string; errorCode?: string };

function result(answer: Answer, version?: number): SendResult {
  if (answer.id !== undefined && !answer.errorCode) {
    return { ok: true, id: answer.id, version: answer.version ?? version ?? 0 };
  }
  return { ok: false, code: answer.errorCode ?? "INTERNAL", message: answer.message ?? "The change was refused." };
}

/** Sends the queue's changes; a request that fails as a whole throws its ApiError. */
export const transport: Transport = {
  async apply(change, key) {
    const { documentId, codeId, start, end, memo, roundId } = change;
    const data = await mutate(WorkspaceApplyCodeDocument, {
      input: { documentId, codeId, start, end, memo, roundId },
      key,
    });
    return result(data.applyCode as Answer);
  },
  async update(id, changes, version, key) {
    const data = await mutate(WorkspaceUpdateCodingDocument, { id, input: changes, version, key });
    return result(data.updateCoding as Answer);
  },
  async delete(id, key) {
    const data = await mutate(WorkspaceDeleteCodingDocument, { id, key });
    return result(data.deleteCoding as Answer, 0);
  },
};

export interface LayerRead {
  codings: (Coding & { coderId: string; version: number })[];
  revealed: boolean;
}

/** A layer (or, with no coder, every coder layer the caller may see) of a document,
 * page by page. */
export async function readLayer(documentId: string, roundId: string | null, coderId: string | null): Promise<LayerRead> {
  const codings: LayerRead["codings"] = [];
  let after: string | null = null;
  let revealed = false;
  for (;;) {
    const data: WorkspaceLayerQuery = await query(WorkspaceLayerDocument, { documentId, roundId, coderId, after });
    revealed = data.document.revealed;
    const t: WorkspaceLayerQuery["document"]["codingTable"] = data.document.codingTable;
    t.ids.forEach((id: string | null, i: number) => {
      codings.push({
        lid: id as string,
        start: t.starts[i] as number,
        end: t.ends[i] as number,
        codeId: t.codeIds[i] as string,
        memo: (t.memos[i] as string | null) ?? "",
        coderId: (t.coderIds[i] as string | null) ?? "",
        version: t.versions[i] as number,
      });
    });
    if (!t.hasNextPage || !t.endCursor) break;
    after = t.endCursor;
  }
  return { codings, revealed };
}

export function isOffline(error: unknown): boolean {
  return error instanceof ApiError && error.code === "NETWORK";
}
