// tod-rsc: parse, normalise and diff RouterOS export files from the command line.
import { readFileSync } from 'node:fs';
import { diffToCommands } from './diff/commands.js';
import { unifiedDiff } from './diff/lines.js';
import { diffToJSON, formatDiff } from './diff/report.js';
import { diffExports } from './diff/semantic.js';
import { ParseError } from './errors.js';
import { normalizeExport } from './normalize.js';
import { parseExport } from './parser.js';
import { redactSecrets } from './secrets.js';
import type { ExportDocument } from './types.js';

const HELP = `tod-rsc - RouterOS /export tools

Usage:
  tod-rsc parse <file> [--json]              check a file parses; print a summary (or the tree as JSON)
  tod-rsc normalize <file> [--redact]        print the canonical form (no date, no volatile comments)
  tod-rsc diff <a.rsc> <b.rsc> [--json] [--commands] [--lines]
                                             semantic diff per menu and item; --commands prints RouterOS
                                             commands that turn A into B; --lines a unified line diff
  tod-rsc --help

Exit status: 0 success, 1 a file is not valid RouterOS export text, 2 usage or I/O error.
`;

class UsageError extends Error {}

/** Export files are bytes: take UTF-8 when valid, otherwise one char per byte (as RouterOS values are). */
function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

function load(file: string): ExportDocument {
  try {
    return parseExport(readText(file));
  } catch (e) {
    if (e instanceof ParseError) throw new FileParseError(e.format(file));
    throw e;
  }
}

class FileParseError extends Error {}

function run(argv: string[]): string {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const args = argv.filter((a) => !a.startsWith('--'));
  const known = new Set(['--help', '--json', '--commands', '--lines', '--redact']);
  for (const f of flags) if (!known.has(f)) throw new UsageError(`unknown option ${f}`);
  if (flags.has('--help') || args.length === 0) {
    if (args.length === 0 && !flags.has('--help')) throw new UsageError('missing command');
    return HELP;
  }
  const [cmd, ...files] = args;
  if (cmd === 'parse') {
    if (files.length !== 1) throw new UsageError('parse takes exactly one file');
    const doc = load(files[0] as string);
    if (flags.has('--json')) return `${JSON.stringify(doc, null, 2)}\n`;
    const h = doc.header;
    const commands = doc.sections.reduce((n, s) => n + s.commands.length, 0);
    const lines = [
      `${files[0]}: ok`,
      `  style: ${doc.style ?? 'compact'}`,
      h.version ? `  RouterOS: ${h.version}` : undefined,
      h.date ? `  exported: ${h.date}` : undefined,
      h.model ? `  model: ${h.model}` : undefined,
      h.serial ? `  serial: ${h.serial}` : undefined,
      h.softwareId ? `  software id: ${h.softwareId}` : undefined,
      `  menus: ${new Set(doc.sections.map((s) => s.path)).size}, sections: ${doc.sections.length}, commands: ${commands}`,
    ];
    return `${lines.filter((l) => l !== undefined).join('\n')}\n`;
  }
  if (cmd === 'normalize') {
    if (files.length !== 1) throw new UsageError('normalize takes exactly one file');
    const doc = load(files[0] as string);
    return normalizeExport(flags.has('--redact') ? redactSecrets(doc) : doc).text;
  }
  if (cmd === 'diff') {
    if (files.length !== 2) throw new UsageError('diff takes exactly two files');
    const [fa, fb] = files as [string, string];
    const a = load(fa);
    const b = load(fb);
    const diff = diffExports(a, b);
    if (flags.has('--json')) {
      const json = diffToJSON(diff) as Record<string, unknown>;
      if (flags.has('--commands')) json.commands = diffToCommands(diff);
      return `${JSON.stringify(json, null, 2)}\n`;
    }
    let out = '';
    if (flags.has('--commands'))
      out += diffToCommands(diff)
        .map((l) => `${l}\n`)
        .join('');
    if (flags.has('--lines'))
      out += unifiedDiff(normalizeExport(a).text, normalizeExport(b).text, { aName: fa, bName: fb });
    if (!flags.has('--commands') && !flags.has('--lines')) out += formatDiff(diff);
    return out;
  }
  throw new UsageError(`unknown command ${cmd}`);
}

try {
  process.stdout.write(run(process.argv.slice(2)));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`tod-rsc: ${e.message}\nRun tod-rsc --help for usage.\n`);
    process.exitCode = 2;
  } else if (e instanceof FileParseError) {
    process.stderr.write(`tod-rsc: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
