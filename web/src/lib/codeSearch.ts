// Fuzzy search over the codebook for the code picker: letters of the query in order,
// scored higher at word starts and in runs, the code's own name above its path and its
// definition. Plain functions, tested without a browser.

export interface SearchableCode {
  id: string;
  name: string;
  path: string;
  definition: string;
}

/** A score for `query` in `text` (higher is better), or null when it does not match. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLocaleLowerCase().replace(/\s+/g, " ").trim();
  if (!q) return 0;
  const t = text.toLocaleLowerCase();
  const direct = t.indexOf(q);
  if (direct >= 0) {
    const atWord = direct === 0 || /[\s>(/-]/.test(t[direct - 1] as string);
    return 1000 - direct + (atWord ? 500 : 0) + (t.length === q.length ? 1000 : 0);
  }
  let score = 0;
  let run = 0;
  let at = 0;
  for (const ch of q) {
    if (ch === " ") continue;
    const found = t.indexOf(ch, at);
    if (found < 0) return null;
    const wordStart = found === 0 || /[\s>(/-]/.test(t[found - 1] as string);
    run = found === at ? run + 1 : 0;
    score += 10 + run * 5 + (wordStart ? 15 : 0) - Math.min(found - at, 10);
    at = found + 1;
  }
  return score;
}

/** Codes matching `query`, best first; the whole list (in codebook order) for an empty one. */
export function searchCodes<T extends SearchableCode>(codes: readonly T[], query: string): T[] {
  if (!query.trim()) return [...codes];
  const scored: [T, number][] = [];
  for (const code of codes) {
    const name = fuzzyScore(query, code.name);
    const path = fuzzyScore(query, code.path);
    const definition = query.trim().length >= 3 ? fuzzyScore(query, code.definition) : null;
    const best = Math.max(
      name === null ? -Infinity : name * 3,
      path === null ? -Infinity : path * 2,
      definition === null ? -Infinity : definition,
    );
    if (best > -Infinity) scored.push([code, best]);
  }
  return scored.sort((a, b) => b[1] - a[1]).map(([code]) => code);
}
