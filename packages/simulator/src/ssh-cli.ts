// The RouterOS command line as `ssh router '<command>'` runs it: the commands backup tools send (`/export` and its
// flags, menu-scoped exports, `/system backup save|load`, `/file remove|print`, `/ip ssh regenerate-host-key`),
// with RouterOS's answers to mistakes: `bad command name X (line L column C)` for an unknown word in the path,
// `expected end of command (line L column C)` for an argument the command does not take (v6's answer to
// `show-sensitive`, which is why tools that send it to v6 save an empty file). Columns are 1-based. Output lines end
// in \r\n, errors are printed to the channel like any output (RouterOS has no separate stderr).
import { parseExport, unescapeQuoted } from '@tod/rsc';
import { loadBackup, saveBackup } from './commands/backup.js';
import { exportConfig, exportFileName } from './commands/config.js';
import { type Caller, CommandError } from './commands/context.js';
import type { Device } from './device.js';
import { fileName, fileSize, findFile, listFiles, removeFile, writeFile } from './files.js';
import { knownMenus } from './menus.js';
import { SelectorError, selectItems } from './select.js';
import { ConfigStore, type Item } from './store.js';
import { atLeast } from './version.js';

export interface CliIo {
  /** Writes output; resolves once the transport took it. */
  write(text: string): Promise<void>;
  /** One key press from stdin (a confirmation); undefined at end of input. */
  readKey(): Promise<string | undefined>;
}

/** What the command asks of the connection afterwards. */
export interface CliOutcome {
  reboot?: boolean;
}

interface Token {
  text: string;
  col: number;
}

class CliError extends Error {}

const known = { v6: knownMenus(false), v7: knownMenus(true) };

// Commands of the CLI beyond `export` (which every menu has), by menu.
const VERBS: Record<string, string[]> = {
  '/system/backup': ['save', 'load'],
  '/file': ['remove', 'print'],
  '/ip/ssh': ['regenerate-host-key'],
};

interface ArgSpec {
  flags: string[];
  params: string[];
  /** Takes item names or `[ find ... ]`. */
  items?: boolean;
}

function argSpec(device: Device, path: string, verb: string): ArgSpec {
  if (verb === 'export') {
    const flags = ['compact', 'verbose', 'terse', 'hide-sensitive'];
    // v6 has no show-sensitive (it shows secrets unless hide-sensitive).
    if (device.behaviour.v7) flags.push('show-sensitive');
    return { flags, params: ['file'] };
  }
  if (path === '/system/backup' && verb === 'save')
    // dont-encrypt and encryption came with 6.43's AES backups.
    return {
      flags: [],
      params: ['name', 'password', ...(atLeast(device.version, '6.43') ? ['dont-encrypt', 'encryption'] : [])],
    };
  if (path === '/system/backup' && verb === 'load') return { flags: [], params: ['name', 'password'] };
  if (path === '/file' && verb === 'remove') return { flags: [], params: ['numbers'], items: true };
  if (path === '/file' && verb === 'print') return { flags: ['detail', 'terse', 'without-paging'], params: [] };
  return { flags: [], params: [] };
}

/** Words separated by blanks; quotes and `[ ... ]` keep blanks inside one word. */
function tokenize(line: string, lineNo: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    if (/\s/.test(line[i] as string)) {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i] as string;
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && /\s/.test(c)) break;
    }
    if (quoted || depth !== 0) throw new CliError(`syntax error (line ${lineNo} column ${start + 1})`);
    out.push({ text: line.slice(start, i), col: start + 1 });
  }
  return out;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? unescapeQuoted(value.slice(1, -1)) : value;
}

interface Parsed {
  path: string;
  verb: string | undefined;
  flags: Set<string>;
  params: Map<string, string>;
  items: Token[];
}

function parseLine(device: Device, line: string, lineNo: number): Parsed {
  const v7 = device.behaviour.v7;
  const menus = v7 ? known.v7 : known.v6;
  const isMenu = (p: string) =>
    menus.has(p) ||
    device.store.menus.has(p) ||
    p in VERBS ||
    [...menus, ...device.store.menus.keys(), ...Object.keys(VERBS)].some((m) => m.startsWith(`${p}/`));
  const at = (col: number) => `(line ${lineNo} column ${col})`;
  const tokens = tokenize(line, lineNo);
  let path = '';
  let verb: string | undefined;
  let n = 0;
  for (; n < tokens.length && verb === undefined; n++) {
    const t = tokens[n] as Token;
    let word = t.text;
    let col = t.col;
    if (word.startsWith('/')) {
      path = '';
      word = word.slice(1);
      col++;
    }
    if (word === '') continue;
    if (/[="[]/.test(word)) break;
    // v6 reads menu paths with blanks only (`/ip firewall export`); `/ip/firewall/export` is one unknown word there.
    const segments = v7 ? word.split('/') : [word];
    for (const seg of segments) {
      if (verb !== undefined) throw new CliError(`expected end of command ${at(col)}`);
      if (seg !== '') {
        if (seg === 'export' || VERBS[path]?.includes(seg)) verb = seg;
        else if (isMenu(`${path}/${seg}`)) path = `${path}/${seg}`;
        else throw new CliError(`bad command name ${seg} ${at(col)}`);
      }
      col += seg.length + 1;
    }
  }
  const parsed: Parsed = { path, verb, flags: new Set(), params: new Map(), items: [] };
  if (verb === undefined) {
    if (n < tokens.length) throw new CliError(`expected command name ${at((tokens[n] as Token).col)}`);
    return parsed;
  }
  const spec = argSpec(device, path, verb);
  for (; n < tokens.length; n++) {
    const t = tokens[n] as Token;
    const eq = t.text.startsWith('[') ? -1 : t.text.indexOf('=');
    const name = eq > 0 ? t.text.slice(0, eq) : t.text;
    if (eq > 0 && spec.params.includes(name)) parsed.params.set(name, unquote(t.text.slice(eq + 1)));
    else if (eq < 0 && spec.flags.includes(name)) parsed.flags.add(name);
    else if (eq < 0 && spec.items) parsed.items.push(t);
    else throw new CliError(`expected end of command ${at(t.col)}`);
  }
  return parsed;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requireWrite(caller: Caller): void {
  if (!caller.policies.has('write')) throw new CommandError('not enough permissions (9)');
}

/** `/file remove x y [ find name=z ]`: names and selectors; an unknown name is `no such item`. */
function fileItems(device: Device, words: Token[]): Item[] {
  const found: Item[] = [];
  const menu = device.store.menu('/file', false);
  for (const w of words) {
    if (w.text.startsWith('[')) {
      const sel = parseExport(`/file set ${w.text}`).sections[0]?.commands[0]?.selector;
      if (!sel) throw new CommandError('syntax error');
      found.push(...selectItems(menu, sel));
    } else
      for (const name of unquote(w.text).split(',')) {
        const f = findFile(device, name);
        if (!f) throw new CommandError('no such item');
        found.push(f);
      }
  }
  return found;
}

function filePrint(device: Device): string {
  const files = listFiles(device);
  const rows = files.map((f, i) => [
    String(i),
    fileName(f),
    ConfigStore.get(f, 'type') ?? '',
    String(fileSize(f)),
    ConfigStore.get(f, 'creation-time') ?? '',
  ]);
  const head = ['#', 'NAME', 'TYPE', 'SIZE', 'CREATION-TIME'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (r: string[]) => `${r.map((v, c) => v.padEnd(widths[c] as number)).join(' ')}\r\n`;
  return (
    (device.behaviour.v7 ? 'Columns: NAME, TYPE, SIZE, CREATION-TIME\r\n' : '') + [head, ...rows].map(line).join('')
  );
}

async function run(device: Device, caller: Caller, p: Parsed, io: CliIo): Promise<CliOutcome> {
  if (p.verb === 'export') {
    const text = exportConfig(device, caller, p.path, {
      verbose: p.flags.has('verbose'),
      terse: p.flags.has('terse'),
      showSensitive: p.flags.has('show-sensitive'),
      hideSensitive: p.flags.has('hide-sensitive'),
    });
    const slow = device.faults.slowExportMs ?? 0;
    if (slow > 0) await sleep(slow);
    const file = p.params.get('file');
    if (file === undefined) await io.write(crlf(text));
    else {
      requireWrite(caller);
      writeFile(device, exportFileName(file), 'script', text);
    }
    return {};
  }
  if (p.path === '/system/backup' && p.verb === 'save') {
    requireWrite(caller);
    saveBackup(device, caller, {
      name: p.params.get('name'),
      password: p.params.get('password'),
      dontEncrypt: p.params.get('dont-encrypt') === 'yes',
      encryption: p.params.get('encryption'),
    });
    // (RouterOS's words as printed by the CLI; v6 printed "Saving system configuration" first.)
    await io.write('Configuration backup saved\r\n');
    return {};
  }
  if (p.path === '/system/backup' && p.verb === 'load') {
    requireWrite(caller);
    const name = p.params.get('name') ?? '';
    if (!(findFile(device, name) ?? findFile(device, `${name}.backup`))) throw new CommandError('no such file');
    // The CLI asks before a restore, also over `ssh router cmd`: the answer comes from stdin (`echo y | ssh ...`).
    await io.write('Restore and reboot? [y/N]: ');
    const key = await io.readKey();
    if (key?.toLowerCase() !== 'y') {
      await io.write('\r\naction cancelled\r\n');
      return {};
    }
    await io.write('\r\n');
    loadBackup(device, caller, name, p.params.get('password'));
    await io.write('Restoring system configuration\r\nSystem configuration restored, rebooting now\r\n');
    return { reboot: true };
  }
  if (p.path === '/file' && p.verb === 'remove') {
    requireWrite(caller);
    for (const f of fileItems(device, p.items)) removeFile(device, f);
    return {};
  }
  if (p.path === '/file' && p.verb === 'print') {
    await io.write(filePrint(device));
    return {};
  }
  if (p.path === '/ip/ssh' && p.verb === 'regenerate-host-key') {
    requireWrite(caller);
    device.regenerateHostKey();
    return {};
  }
  return {};
}

/** Runs the command text (one command per line), stopping at the first error, as RouterOS does. */
export async function runCli(device: Device, caller: Caller, text: string, io: CliIo): Promise<CliOutcome> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      const outcome = await run(device, caller, parseLine(device, line, i + 1), io);
      if (outcome.reboot) return outcome;
    } catch (e) {
      if (e instanceof CliError || e instanceof CommandError || e instanceof SelectorError) {
        await io.write(`${e.message}\r\n`);
        return {};
      }
      // A broken file is a RouterOS failure message, never a stack trace on the channel.
      if (e instanceof Error && e.name === 'ParseError') {
        await io.write(`syntax error (line ${i + 1})\r\n`);
        return {};
      }
      await io.write(`failure: ${(e as Error).message}\r\n`);
      return {};
    }
  }
  return {};
}
