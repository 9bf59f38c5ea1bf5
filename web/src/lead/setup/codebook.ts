// The codebook as a tree, and the moves a lead may make in it: plain functions over the
// flat list the API gives (tree order, each code with its parentId), tested without a
// browser. The server checks every move again; these keep the UI from offering bad ones.

export interface CodeLike {
  id: string;
  name: string;
  path: string;
  parentId: string | null;
  status: string;
  proposedById: string | null;
}

export interface TreeNode<C extends CodeLike> {
  code: C;
  children: TreeNode<C>[];
}

/** The shared codebook as a tree (proposals and, unless asked, merged codes left out). */
export function buildTree<C extends CodeLike>(codes: readonly C[], withMerged = false): TreeNode<C>[] {
  const shown = codes.filter((c) => c.proposedById === null && (withMerged || c.status !== "MERGED"));
  const nodes = new Map(shown.map((c) => [c.id, { code: c, children: [] as TreeNode<C>[] }]));
  const roots: TreeNode<C>[] = [];
  for (const node of nodes.values()) {
    const parent = node.code.parentId ? nodes.get(node.code.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The code and every code under it. */
export function subtree(codes: readonly CodeLike[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of codes) {
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Whether `id` may move under `parentId` (null: the top level). */
export function canMove(codes: readonly CodeLike[], id: string, parentId: string | null): boolean {
  const code = codes.find((c) => c.id === id);
  if (!code || code.parentId === parentId) return false;
  if (parentId === null) return true;
  const parent = codes.find((c) => c.id === parentId);
  return parent !== undefined && parent.status === "ACTIVE" && !subtree(codes, id).has(parentId);
}

/** Where a code can go: the top level and every active shared code outside its subtree. */
export function moveTargets<C extends CodeLike>(codes: readonly C[], id: string): { id: string | null; label: string }[] {
  const targets: { id: string | null; label: string }[] = [];
  if (canMove(codes, id, null)) targets.push({ id: null, label: "The top level" });
  for (const c of codes) {
    if (c.proposedById === null && canMove(codes, id, c.id)) targets.push({ id: c.id, label: c.path });
  }
  return targets;
}

function siblings(codes: readonly CodeLike[], code: CodeLike): CodeLike[] {
  return codes.filter((c) => c.parentId === code.parentId && c.proposedById === null && c.status !== "MERGED");
}

/** Alt+→: under the sibling just above it; undefined when there is none. */
export function indentTarget(codes: readonly CodeLike[], id: string): string | undefined {
  const code = codes.find((c) => c.id === id);
  if (!code) return undefined;
  const row = siblings(codes, code);
  const above = row[row.findIndex((c) => c.id === id) - 1];
  return above && canMove(codes, id, above.id) ? above.id : undefined;
}

/** Alt+←: up beside its parent; undefined at the top level. */
export function outdentTarget(codes: readonly CodeLike[], id: string): string | null | undefined {
  const code = codes.find((c) => c.id === id);
  if (!code || code.parentId === null) return undefined;
  const parent = codes.find((c) => c.id === code.parentId);
  return parent ? parent.parentId : null;
}

export const FIELD_LABELS = {
  name: "Name",
  definition: "Definition",
  inclusion: "Inclusion",
  exclusion: "Exclusion",
  example: "Example",
  color: "Colour",
  codable: "Codable",
  parentId: "Place in the tree",
  status: "Status",
} as const;

export type Field = keyof typeof FIELD_LABELS;

/** What changed between two versions of a code, field by field (for a CONFLICT). */
export function changedFields<C extends Partial<Record<Field, unknown>>>(
  before: C,
  after: C,
): { field: Field; label: string; before: unknown; after: unknown }[] {
  return (Object.keys(FIELD_LABELS) as Field[])
    .filter((f) => (before[f] ?? null) !== (after[f] ?? null))
    .map((f) => ({ field: f, label: FIELD_LABELS[f], before: before[f] ?? null, after: after[f] ?? null }));
}
