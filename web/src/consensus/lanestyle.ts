// How lanes look in the comparison strip: one underline per lane, each lane with its own
// pattern (solid, dotted, dashed for the coders, dash-dot for the consensus layer as in
// the transcript, double for the decision being prepared) so that colour never carries
// the meaning alone; the colour is the code's. Plain functions returning CSS, tested without a browser.

/** Okabe–Ito hues, for codes that have no colour of their own. */
export const OKABE_ITO = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
] as const;

export type Pattern = "solid" | "dotted" | "dashed" | "dash-dot" | "double";
export const PATTERNS: readonly Pattern[] = ["solid", "dotted", "dashed", "dash-dot", "double"];

export const LANE_GAP = 6; // px between lanes
const THICK = 4; // px of a lane's line

export function codeColor(color: string | null | undefined, index: number): string {
  return color ?? OKABE_ITO[index % OKABE_ITO.length] ?? "#000000";
}

function layer(color: string, pattern: Pattern): string {
  switch (pattern) {
    case "solid":
      return `linear-gradient(${color}, ${color})`;
    case "dotted":
      return `repeating-linear-gradient(90deg, ${color} 0 3px, transparent 3px 6px)`;
    case "dashed":
      return `repeating-linear-gradient(90deg, ${color} 0 9px, transparent 9px 13px)`;
    case "dash-dot":
      return `repeating-linear-gradient(90deg, ${color} 0 9px, transparent 9px 12px, ${color} 12px 15px, transparent 15px 18px)`;
    case "double":
      return `linear-gradient(${color} 0 1px, transparent 1px 3px, ${color} 3px 4px)`;
  }
}

/** The inline style of one run: a line per lane that has a code there (its first code's
 * colour), lane 0 nearest the text. `colors[i]` is null where lane i has nothing. */
export function runStyle(colors: readonly (string | null)[], patterns: readonly Pattern[]): string {
  const lanes = colors.length;
  const images: string[] = [];
  const positions: string[] = [];
  const sizes: string[] = [];
  colors.forEach((color, i) => {
    if (!color) return;
    images.push(layer(color, patterns[i] ?? "solid"));
    positions.push(`0 calc(100% - ${(lanes - 1 - i) * LANE_GAP}px)`);
    sizes.push(`100% ${THICK}px`);
  });
  const room = lanes * LANE_GAP + 2;
  const parts = [`padding-bottom:${room}px`];
  if (images.length) {
    parts.push(
      `background-image:${images.join(",")}`,
      `background-position:${positions.join(",")}`,
      `background-size:${sizes.join(",")}`,
    );
  }
  return parts.join(";");
}
