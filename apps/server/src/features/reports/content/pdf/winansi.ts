// The PDF's standard fonts (Helvetica) cover WinAnsi only (Windows-1252): Latin-1 plus a few typographic
// characters. PDFKit writes any other character as a code that is not that character (a CJK name turns into
// unrelated bytes), so every text is mapped first: what WinAnsi has is kept, the rest becomes '?'. A device called
// "Zürich – core" keeps its name; "東京" is printed "??". Control characters become spaces. Embedding a Unicode
// font would fix this, at the cost of shipping one (several MB with CJK); names are ASCII in practice.

// Unicode code points Windows-1252 puts in 0x80–0x9F (the ones PDFKit maps).
const EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

const printable = (c: number) => (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || EXTRA.has(c);

/** `text` with every character the standard fonts cannot show replaced ('?'; controls and newlines: ' '). */
export function winAnsi(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (printable(c)) out += ch;
    else if (c === 0x0a && keepNewlines) out += '\n';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) out += ' ';
    else out += '?';
  }
  return out;
}
