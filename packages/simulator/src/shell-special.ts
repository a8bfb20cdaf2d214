// Console commands with their own arguments and words, as backup tools send them over `ssh router '<command>'` and
// people type them: `export` (every menu has it) with its flags, `/system backup save|load`, `/file remove|print`,
// `/ip ssh regenerate-host-key`. An argument the command does not take is `expected end of command (line L column
// C)` — v6's answer to `show-sensitive`, which is why tools that send it to v6 save an empty file.
import { parseExport } from '@tod/rsc';
import { loadBackup, saveBackup } from './commands/backup.js';
import { exportConfig, exportFileName } from './commands/config.js';
import { type Caller, CommandError } from './commands/context.js';
import type { Device } from './device.js';
import { fileName, fileSize, findFile, listFiles, removeFile, writeFile } from './files.js';
import { selectItems } from './select.js';
import { at, CliError, type Token, unquote } from './shell-parse.js';
import { ConfigStore, type Item } from './store.js';
import { atLeast } from './version.js';

export interface CliIo {
  /** Writes output; resolves once the transport took it. */
  write(text: string): Promise<void>;
  /** One key press from stdin (a confirmation); undefined at end of input. */
  readKey(): Promise<string | undefined>;
  /** A person at a terminal: a confirmation's answer is echoed. */
  interactive?: boolean;
  /** Calls `fn` when the running command is interrupted (Ctrl-C); returns the function that unregisters it. */
  onInterrupt?(fn: () => void): () => void;
}

/** What the command asks of the connection afterwards. */
export interface CliOutcome {
  reboot?: boolean;
}

// Commands beyond `export` (which every menu has), by menu.
export const SPECIAL_VERBS: Record<string, string[]> = {
  '/system/backup': ['save', 'load'],
  '/file': ['remove', 'print'],
  '/ip/ssh': ['regenerate-host-key'],
};

export function isSpecial(path: string, verb: string): boolean {
  return verb === 'export' || SPECIAL_VERBS[path]?.includes(verb) === true;
}

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

export interface SpecialCommand {
  path: string;
  verb: string;
  flags: Set<string>;
  params: Map<string, string>;
  items: Token[];
}

/** Reads the words after a special command against what it takes. */
export function specialCommand(
  device: Device,
  path: string,
  verb: string,
  words: Token[],
  lineNo: number,
): SpecialCommand {
  const spec = argSpec(device, path, verb);
  const cmd: SpecialCommand = { path, verb, flags: new Set(), params: new Map(), items: [] };
  for (const t of words) {
    const eq = t.text.startsWith('[') ? -1 : t.text.indexOf('=');
    const name = eq > 0 ? t.text.slice(0, eq) : t.text;
    if (eq > 0 && spec.params.includes(name)) cmd.params.set(name, unquote(t.text.slice(eq + 1)));
    else if (eq < 0 && spec.flags.includes(name)) cmd.flags.add(name);
    else if (eq < 0 && spec.items) cmd.items.push(t);
    else throw new CliError(`expected end of command ${at(lineNo, t.col)}`);
  }
  return cmd;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function requireWrite(caller: Caller): void {
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

export async function runSpecial(device: Device, caller: Caller, p: SpecialCommand, io: CliIo): Promise<CliOutcome> {
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
    if (!(await confirm(io, 'Restore and reboot? [y/N]: '))) return {};
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

/**
 * Asks `question` and reads one key: `y` goes ahead, anything else prints `action cancelled`. At a terminal the
 * answer is echoed; over exec (`echo y | ssh ...`) it is not.
 */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  await io.write(question);
  const key = await io.readKey();
  const shown = io.interactive && key !== undefined && key >= ' ' && key !== '\x7f' ? key : '';
  if (key?.toLowerCase() !== 'y') {
    await io.write(`${shown}\r\naction cancelled\r\n`);
    return false;
  }
  await io.write(`${shown}\r\n`);
  return true;
}
