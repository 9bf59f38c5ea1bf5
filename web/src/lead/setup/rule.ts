// The project's consensus rule in plain words, from its three settings.

export interface RuleSettings {
  consensusRequireAllCoders: boolean;
  consensusRequireSameCode: boolean;
  consensusMinOverlap: number;
}

export function ruleInWords(s: RuleSettings): string {
  const who = s.consensusRequireAllCoders
    ? "every coder assigned to the document coded it"
    : "at least two of the coders coded it (any who did not are ignored)";
  const codes = s.consensusRequireSameCode ? ", all with the same code," : " (whatever codes they chose)";
  const percent = Math.round(s.consensusMinOverlap * 100);
  return (
    `A passage goes into the consensus layer on its own when ${who}${codes} and every two ` +
    `coders' segments there overlap by at least ${percent}% of the text either of them marked. ` +
    "Everything else waits for a lead's decision."
  );
}
