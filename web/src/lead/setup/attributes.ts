// A document's attributes (a JSON object such as {"participant": "P07", "age": 41}) as
// rows a person edits, and back. Text stays text; what reads as a JSON number, boolean
// or null keeps that type, so an edited attribute keeps its kind.

export interface AttributeRow {
  key: string;
  value: string;
}

export function toRows(attributes: unknown): AttributeRow[] {
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) return [];
  return Object.entries(attributes as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: typeof value === "string" ? value : JSON.stringify(value),
  }));
}

function parse(text: string): unknown {
  const trimmed = text.trim();
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|\{.*\}|\[.*\])$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

/** The rows as an object; blank keys are dropped, a repeated key is an error. */
export function fromRows(rows: readonly AttributeRow[]): { attributes: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) continue;
    if (key in out) return { error: `The attribute “${key}” appears twice.` };
    out[key] = parse(row.value);
  }
  return { attributes: out };
}

export function describe(attributes: unknown): string {
  return toRows(attributes)
    .map((r) => `${r.key}: ${r.value}`)
    .join("; ");
}
