// The synthesis's quotes and texts as plain data: reordering the chosen quotes (by drag
// or by keys), the attributes to filter by, and what to do when a save meets a newer
// version.

/** `list` with the item at `from` moved to `to` (both clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  const at = Math.max(0, Math.min(out.length, to));
  out.splice(at, 0, item as T);
  return out;
}

/** Attribute names and their values across documents, sorted, for the filter. */
export function attributeChoices(
  documents: readonly { attributes: unknown }[],
): { name: string; values: string[] }[] {
  const found = new Map<string, Set<string>>();
  for (const d of documents) {
    if (!d.attributes || typeof d.attributes !== "object") continue;
    for (const [name, value] of Object.entries(d.attributes as Record<string, unknown>)) {
      if (value === null || value === undefined || value === "") continue;
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const values = found.get(name) ?? new Set<string>();
      values.add(text);
      found.set(name, values);
    }
  }
  return [...found]
    .map(([name, values]) => ({
      name,
      values: [...values].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export type SaveClash = "retry" | "conflict";

/** A save was refused because the content has a newer version. When the field's text on
 * the server is still what this editor last saw (someone changed another field), saving
 * again on the new version loses nothing; otherwise the person must choose. */
export function clash(base: string, theirs: string): SaveClash {
  return base === theirs ? "retry" : "conflict";
}
