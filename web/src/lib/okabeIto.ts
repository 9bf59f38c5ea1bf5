// The Okabe–Ito palette (Okabe & Ito 2008): eight colours told apart by people with
// any common colour-vision deficiency. Codes take their colours from it; colour is never
// the only thing that tells two codes apart (names and lane styles do too).

export interface NamedColor {
  name: string;
  hex: string;
}

export const OKABE_ITO: readonly NamedColor[] = [
  { name: "Orange", hex: "#E69F00" },
  { name: "Sky blue", hex: "#56B4E9" },
  { name: "Bluish green", hex: "#009E73" },
  { name: "Yellow", hex: "#F0E442" },
  { name: "Blue", hex: "#0072B2" },
  { name: "Vermillion", hex: "#D55E00" },
  { name: "Reddish purple", hex: "#CC79A7" },
  { name: "Black", hex: "#000000" },
];

/** The palette's name for a colour, or the hex itself for a colour from elsewhere. */
export function colorName(hex: string | null | undefined): string {
  if (!hex) return "No colour";
  return OKABE_ITO.find((c) => c.hex.toUpperCase() === hex.toUpperCase())?.name ?? hex;
}

/** The palette's colour for the n-th item, cycling: a default for a new code. */
export function nthColor(n: number): string {
  const i = ((n % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length;
  return (OKABE_ITO[i] as NamedColor).hex;
}
