// Fuzzy filtering for the command palette and code searches: the query's characters in
// order, anywhere in the text ("cdbk" finds "Codebook"), best matches first. Case and
// accents are ignored ("cafe" finds "Café"; ø and æ stay letters of their own).

export interface FuzzyMatch {
  score: number;
  /** Indexes (UTF-16) of the matched characters in the text, to highlight them. */
  positions: number[];
}

function fold(char: string): string {
  return char.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const before = text[i - 1] as string;
  const here = text[i] as string;
  if (/[\s\-_/>.:(]/.test(before)) return true;
  return before === before.toLowerCase() && here !== here.toLowerCase(); // camelCase
}

/** Where the query matches the text, or null. Higher scores are better matches. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const wanted = [...query.replace(/\s+/g, "")].map(fold).join("");
  if (!wanted) return { score: 0, positions: [] };
  const folded = [...text].map(fold);
  // Indexes of each code point's first UTF-16 unit in `text`.
  const offsets: number[] = [];
  let unit = 0;
  for (const char of text) {
    offsets.push(unit);
    unit += char.length;
  }
  // Greedy from the left, preferring word starts: try each start of the first character
  // and keep the best-scoring run.
  let best: FuzzyMatch | null = null;
  for (let start = 0; start < folded.length; start++) {
    if (folded[start] !== wanted[0]) continue;
    const positions = [start];
    let q = 1;
    for (let i = start + 1; i < folded.length && q < wanted.length; i++) {
      if (folded[i] === wanted[q]) {
        positions.push(i);
        q++;
      }
    }
    if (q < wanted.length) break; // no later start can match more
    let score = 0;
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k] as number;
      if (isWordStart(text, offsets[p] as number)) score += 8;
      if (k > 0 && p === (positions[k - 1] as number) + 1) score += 5;
      else if (k > 0) score -= Math.min(3, p - (positions[k - 1] as number) - 1);
    }
    score -= start * 0.1;
    if (!best || score > best.score) {
      best = { score, positions: positions.map((p) => offsets[p] as number) };
    }
  }
  return best;
}

/** The items whose text matches, best first; ties keep the items' order. */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  text: (item: T) => string,
): { item: T; match: FuzzyMatch }[] {
  const found: { item: T; match: FuzzyMatch; index: number }[] = [];
  items.forEach((item, index) => {
    const match = fuzzyMatch(query, text(item));
    if (match) found.push({ item, match, index });
  });
  found.sort((a, b) => b.match.score - a.match.score || a.index - b.index);
  return found.map(({ item, match }) => ({ item, match }));
}

/** Split text into runs, marking the matched characters, for drawing highlights. */
export function highlightRuns(text: string, positions: readonly number[]): { text: string; hit: boolean }[] {
  const hits = new Set(positions);
  const runs: { text: string; hit: boolean }[] = [];
  let i = 0;
  for (const char of text) {
    const hit = hits.has(i);
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += char;
    else runs.push({ text: char, hit });
    i += char.length;
  }
  return runs;
}
