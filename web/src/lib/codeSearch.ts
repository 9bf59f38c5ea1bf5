// Fuzzy search over the codebook for the code picker, on the app's fuzzy matcher
// (lib/fuzzy.ts): the code's own name counts above its path, the path above its
// definition. Plain functions, tested without a browser.
import { fuzzyMatch } from "./fuzzy";

export interface SearchableCode {
  id: string;
  name: string;
  path: string;
  definition: string;
}

/** Codes matching `query`, best first; the whole list (in codebook order) for an empty one. */
export function searchCodes<T extends SearchableCode>(codes: readonly T[], query: string): T[] {
  if (!query.trim()) return [...codes];
  const scored: [T, number][] = [];
  for (const code of codes) {
    const name = fuzzyMatch(query, code.name)?.score ?? null;
    const path = fuzzyMatch(query, code.path)?.score ?? null;
    // A definition is long prose: only a query of a few letters, found as typed, counts.
    const q = query.trim().toLocaleLowerCase();
    const definition = q.length >= 3 && code.definition.toLocaleLowerCase().includes(q) ? 1 : null;
    const best = Math.max(
      name === null ? -Infinity : name * 3,
      path === null ? -Infinity : path * 2,
      definition === null ? -Infinity : definition,
    );
    if (best > -Infinity) scored.push([code, best]);
  }
  return scored.sort((a, b) => b[1] - a[1]).map(([code]) => code);
}
