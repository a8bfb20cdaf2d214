// Canonical form of an export for storage and diffing: no date line, no volatile status comments, one line per
// command, quoting only where needed. Two exports of the same configuration normalise to the same text.
import { cloneDocument } from './clone.js';
import { isDateLine } from './header.js';
import { parseExport } from './parser.js';
import { serializeExport } from './serialize.js';
import type { ExportDocument } from './types.js';

// Comments RouterOS adds to show live state rather than configuration; they change without a config change.
const VOLATILE: RegExp[] = [
  /inactive time/i,
  /\bnot ready\b/i,
  /firmware .*upgrad|upgrad.* firmware|please reboot/i,
  /poe-out status/i,
  /\bpoe\b.*\b(status|short|overload|powered)/i,
  /in\/out-interface matcher not possible/i,
  /\bis slave\b|\bslave interface\b/i,
  /managed by CAPsMAN/i,
  /^\s*channel: /i,
  /\binterface (is )?not running\b|\blink down\b/i,
  /\bno connection to\b/i,
];

/** Whether a comment line (text after `#`) is a volatile status notice that normalisation drops. */
export function isVolatileComment(comment: string): boolean {
  return VOLATILE.some((re) => re.test(comment));
}

export interface NormalizedExport {
  /** Canonical compact text (ends with a newline; empty string for an empty export). */
  text: string;
  /** `text` parsed again, so line numbers refer to the canonical text. */
  doc: ExportDocument;
}

export function normalizeExport(input: string | ExportDocument): NormalizedExport {
  const src = typeof input === 'string' ? parseExport(input) : input;
  const doc = cloneDocument(src);
  const header: string[] = [];
  for (const c of doc.header.comments) {
    if (isDateLine(c)) {
      // Keep the version (an upgrade is a real change), drop the timestamp.
      if (doc.header.version) header.push(` by RouterOS ${doc.header.version}`);
    } else if (!isVolatileComment(c)) {
      header.push(c.trimEnd());
    }
  }
  doc.header.comments = header;
  delete doc.header.date;
  delete doc.header.rawDate;
  const keep = (list: string[] | undefined): string[] | undefined => {
    const kept = (list ?? []).filter((c) => !isVolatileComment(c)).map((c) => c.trimEnd());
    return kept.length > 0 ? kept : undefined;
  };
  for (const section of doc.sections) {
    section.comments = keep(section.comments);
    if (section.comments === undefined) delete section.comments;
    for (const cmd of section.commands) {
      cmd.comments = keep(cmd.comments);
      if (cmd.comments === undefined) delete cmd.comments;
      for (const a of cmd.args) delete a.quoted;
      if (cmd.selector?.kind === 'name') delete cmd.selector.quoted;
    }
  }
  doc.trailingComments = keep(doc.trailingComments);
  const text = serializeExport(doc, { style: 'compact', canonicalQuotes: true });
  return { text, doc: parseExport(text) };
}
