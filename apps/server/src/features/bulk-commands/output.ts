// A device's answer to a bulk command as text, laid out the same way on every device so that equal answers are
// equal strings (results.ts groups them): API rows as one `name=value …` line per item with `.id` left out (ids
// differ per device) and properties sorted (RouterOS versions order them differently); values quoted as the
// terminal would. Volatile values (uptime, counters) stay: they are real differences. Secrets (which the API shows
// to a login with the `sensitive` policy) are masked: results are stored, grouped and downloaded.
import { formatValue, isSecretProperty, normalizeExport, ParseError, parseExport, redactSecrets } from '@tod/rsc';
import type { ReadStep } from './translate.js';

type Row = Record<string, string>;

/** Reply attributes that identify the item on this one device, or the reply itself, not the item. */
const HIDDEN = new Set(['.id', '.nextid', '.dead', '.tag']);
export const MASK = '********';

/** A value as shown: masked when the property holds a secret in menu `path`. */
const shown = (path: string, name: string, value: string) => (isSecretProperty(path, name) ? MASK : value);

/** One item of menu `path` (`/ppp/secret`) as a `name=value …` line. */
export function formatRow(path: string, row: Row): string {
  return Object.keys(row)
    .filter((k) => !HIDDEN.has(k))
    .sort()
    .map((k) => `${k}=${formatValue(shown(path, k, row[k] as string))}`)
    .join(' ');
}

export function formatRows(path: string, rows: readonly Row[]): string {
  return rows.map((r) => formatRow(path, r)).join('\n');
}

/** The menu of an API command: `/ppp/secret/print` → `/ppp/secret`. */
const menuOf = (command: string) => command.slice(0, command.lastIndexOf('/')) || '/';

export type StepOutput = { output: string; error?: string };

/** What a read step's reply (`client.run(…)`: rows and `!done` attributes) shows. */
export function formatReply(step: ReadStep, reply: { rows: readonly Row[]; done?: Row }): StepOutput {
  switch (step.result) {
    case 'count':
      return { output: reply.done?.ret ?? String(reply.rows.length) };
    case 'value': {
      if (reply.rows.length === 0) return { output: '', error: 'no such item' };
      if (reply.rows.length > 1)
        return { output: '', error: `${reply.rows.length} items match; get reads one (narrow the [ find … ])` };
      const row = reply.rows[0] as Row;
      const name = step.valueName ?? '';
      return { output: Object.hasOwn(row, name) ? shown(menuOf(step.command), name, row[name] as string) : '' };
    }
    default:
      return { output: formatRows(menuOf(step.command), reply.rows) };
  }
}

/**
 * The text of an export step: parsed, secrets masked (RouterOS 6 exports them unasked), normalised (compact,
 * canonical quoting, volatile comments gone) and without the header, whose date, serial number and software id
 * differ on every device and would keep equal configurations apart.
 */
export function formatExport(text: string): StepOutput {
  if (text.trim() === '') return { output: '', error: 'the device answered with nothing' };
  try {
    const doc = redactSecrets(parseExport(text), MASK);
    doc.header = { comments: [] };
    return { output: normalizeExport(doc).text };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const first = text.trim().split('\n')[0]?.trim() ?? '';
    return { output: '', error: `the device did not answer with an export: ${first.slice(0, 200)}` };
  }
}

/** One device's text for several commands: each answer under its command line, as a terminal session shows. */
export function combineOutputs(parts: readonly { cli: string; output: string }[]): string {
  if (parts.length === 1) return (parts[0] as { output: string }).output;
  return parts.map((p) => (p.output === '' ? `> ${p.cli}` : `> ${p.cli}\n${p.output}`)).join('\n');
}
