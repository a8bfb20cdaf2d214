// Text for the PDF's standard Type1 fonts is single-byte WinAnsiEncoding: Latin-1 plus a few typographic
// characters in 0x80–0x9F. Anything else cannot be drawn with these fonts, so callers must refuse or replace it.

export type StandardFont = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

// Unicode code points that WinAnsi places in 0x80–0x9F (where Latin-1 has control characters).
const HIGH: Record<number, number> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

/** The WinAnsi byte for one code point, or null when the standard fonts cannot show it. */
export function winAnsiByte(codePoint: number): number | null {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return codePoint;
  if (codePoint >= 0xa0 && codePoint <= 0xff) return codePoint;
  return HIGH[codePoint] ?? null;
}

/** Replaces every character the standard fonts cannot show with '?' (for text that must print regardless). */
export function toPrintable(text: string): string {
  let out = '';
  for (const ch of text) out += winAnsiByte(ch.codePointAt(0) ?? 0) === null ? '?' : ch;
  return out;
}

// Advance widths (1/1000 em) of ASCII 0x20–0x7E, from the published metrics of the standard 14 fonts.
// Used only for layout (centering, wrapping); a small error just shifts text slightly.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
  556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
  280, 389, 584,
];

/** Width of `text` in points at `size`. Non-ASCII characters count as an average-width glyph. */
export function textWidth(text: string, font: StandardFont, size: number): number {
  let units = 0;
  for (const ch of text) {
    if (font === 'Courier') {
      units += 600;
      continue;
    }
    const table = font === 'Helvetica' ? HELVETICA : HELVETICA_BOLD;
    const cp = ch.codePointAt(0) ?? 0;
    units += (cp >= 0x20 && cp <= 0x7e ? table[cp - 0x20] : undefined) ?? 556;
  }
  return (units * size) / 1000;
}
