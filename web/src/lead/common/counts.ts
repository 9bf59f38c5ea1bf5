// An import's counts in words ("1 document, 2 speaker turns"), from the report's keys.

function singular(word: string): string {
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** "documents" → "1 document" / "3 documents"; "accounts_matched" → "1 account matched". */
export function countInWords(key: string, value: number | string): string {
  const words = key.replaceAll("_", " ").trim().split(/\s+/);
  if (value === 1) {
    // The counted noun is the last word that is a plural: "placeholder accounts",
    // "accounts matched".
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i]!;
      if (singular(w) !== w) {
        words[i] = singular(w);
        break;
      }
    }
  }
  const n = typeof value === "number" ? value.toLocaleString("en") : value;
  return `${n} ${words.join(" ")}`;
}
