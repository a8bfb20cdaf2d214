// Whole-configuration commands: /export, /import, /system/script/run, /system/backup, /safe-mode, /file/read.
import { decodeWord } from '@tod/routeros';
import type { Device } from '../device.js';
import { exportText } from '../export.js';
import { fileBytes, findFile, writeFile } from '../files.js';
import { runScript } from '../script.js';
import { ConfigStore } from '../store.js';
import { backupCommands, configSnapshot } from './backup.js';
import { checkedCommands } from './checked.js';
import { argFlag, type Caller, type CommandContext, CommandError, type Handler, requirePolicy } from './context.js';
import { resolve } from './menu.js';

export interface ExportFlags {
  verbose?: boolean;
  terse?: boolean;
  showSensitive?: boolean;
  hideSensitive?: boolean;
}

/**
 * The text `/export` makes at `path` (`''` for everything) with these flags, for the API and the SSH CLI: v7 hides
 * secrets unless `show-sensitive`; v6 shows them unless `hide-sensitive`; showing them needs the `sensitive` policy.
 */
export function exportConfig(d: Device, caller: Caller, path: string, f: ExportFlags): string {
  const show = d.behaviour.hideSecretsByDefault ? f.showSensitive === true : f.hideSensitive !== true;
  if (show && !caller.policies.has('sensitive')) throw new CommandError('not enough permissions (9)');
  const style = f.verbose ? 'verbose' : f.terse ? 'terse' : 'compact';
  return exportText(d.store, d.exportHeader(), { style, showSensitive: show, ...(path !== '' ? { under: path } : {}) });
}

/** `file=x` writes `x.rsc`. */
export function exportFileName(file: string): string {
  return file.endsWith('.rsc') ? file : `${file}.rsc`;
}

/**
 * `/export`: over the API RouterOS writes the text only to a file (`=file=name` → `name.rsc`); without `file` it
 * answers a bare `!done`, which is what clients see from real routers too.
 */
function exportCommand(ctx: CommandContext): void {
  const d = ctx.device;
  const file = ctx.args.get('file');
  if (file !== undefined) requirePolicy(ctx, 'write');
  const text = exportConfig(d, ctx.caller, ctx.path, {
    verbose: argFlag(ctx, 'verbose'),
    terse: argFlag(ctx, 'terse'),
    showSensitive: argFlag(ctx, 'show-sensitive'),
    hideSensitive: argFlag(ctx, 'hide-sensitive'),
  });
  const finish = () => {
    try {
      if (file !== undefined) writeFile(d, exportFileName(file), 'script', text);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      ctx.out.trap(e.message, e.category);
    }
    ctx.out.done();
  };
  const slow = d.faults.slowExportMs ?? 0;
  if (slow > 0 && !ctx.caller.script) setTimeout(finish, slow);
  else finish();
}

function runText(ctx: CommandContext, text: string): void {
  const result = runScript(ctx.device, text, ctx.caller.userName);
  if (result.error) throw new CommandError(result.error, 3);
  ctx.out.done();
}

function importCommand(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const name = ctx.args.get('file-name') ?? '';
  const file = findFile(ctx.device, name) ?? findFile(ctx.device, `${name}.rsc`);
  if (!file) throw new CommandError('no such file', 1);
  runText(ctx, ConfigStore.get(file, 'contents') ?? '');
}

export const configCommands: Record<string, Record<string, Handler>> = {
  '': { export: exportCommand, import: importCommand },
  '/system/script': {
    run(ctx) {
      requirePolicy(ctx, 'write');
      if (!ctx.args.has('.id') && ctx.args.has('number')) ctx.args.set('numbers', ctx.args.get('number') as string);
      const [e] = resolve(ctx);
      if (!e) throw new CommandError('no such item');
      const runs = Number(ConfigStore.get(e.item, 'run-count') ?? '0') + 1;
      e.item.props.set('run-count', String(runs));
      runText(ctx, ConfigStore.get(e.item, 'source') ?? '');
    },
  },
  ...backupCommands,
  ...checkedCommands,
  '/ip/ssh': {
    'regenerate-host-key'(ctx) {
      requirePolicy(ctx, 'write');
      ctx.device.regenerateHostKey();
      ctx.out.done();
    },
  },
  '/file': {
    add(ctx) {
      // File creation from the API exists from 7.9.
      if (!ctx.device.behaviour.v7 || ctx.device.version.minor < 9) throw new CommandError('no such command');
      requirePolicy(ctx, 'write');
      const name = ctx.args.get('name');
      if (!name) throw new CommandError('name must be set', 1);
      const item = writeFile(ctx.device, name, ctx.args.get('type') ?? 'file', ctx.args.get('contents') ?? '');
      ctx.out.done({ ret: `*${item.id.toString(16).toUpperCase()}` });
    },
    read(ctx) {
      if (!ctx.device.behaviour.v7 || ctx.device.version.minor < 13) throw new CommandError('no such command');
      const file = findFile(ctx.device, ctx.args.get('file') ?? '');
      if (!file) throw new CommandError('no such file', 1);
      const bytes = fileBytes(file);
      const offset = Number(ctx.args.get('offset') ?? '0');
      const size = Number(ctx.args.get('chunk-size') ?? '4096');
      if (!Number.isInteger(offset) || !Number.isInteger(size) || offset < 0 || size <= 0 || size > 65536) {
        throw new CommandError('invalid offset or chunk-size', 1);
      }
      // The word carries the file's bytes as they are (a binary backup too): decoded the way the session encodes.
      ctx.out.re({ data: decodeWord(bytes.subarray(offset, offset + size), 'win1252') });
      ctx.out.done();
    },
  },
  // Safe mode (7.18+ over the API): bound to the session that takes it. Changes from ANY session or script while
  // it is held are undone when that session ends other than by release (device.sessionEnded), at once when it is
  // closed, after the TCP timeout when its packets are dropped (reachability.ts); more than SAFE_MODE_HISTORY
  // changes put it out of safe mode with nothing undone (safe-mode.ts); a backup load ends it (backup.ts).
  '/safe-mode': {
    take(ctx) {
      if (!ctx.device.behaviour.safeMode) throw new CommandError('no such command prefix');
      if (ctx.caller.script) throw new CommandError('safe mode needs a session');
      requirePolicy(ctx, 'write');
      const held = ctx.device.safeMode;
      if (held && held.session.id !== ctx.caller.id)
        throw new CommandError('safe mode already taken by another session');
      if (!held) {
        const session = [...ctx.device.sessions].find((s) => s.id === ctx.caller.id);
        if (!session) throw new CommandError('safe mode needs a session');
        ctx.device.safeMode = { session, snapshot: configSnapshot(ctx.device), actions: 0 };
      }
      ctx.out.done();
    },
    release(ctx) {
      if (!ctx.device.behaviour.safeMode) throw new CommandError('no such command prefix');
      const held = ctx.device.safeMode;
      if (!held || held.session.id !== ctx.caller.id) throw new CommandError('safe mode is not taken by this session');
      ctx.device.safeMode = undefined;
      ctx.out.done();
    },
    unroll(ctx) {
      if (!ctx.device.behaviour.safeMode) throw new CommandError('no such command prefix');
      const held = ctx.device.safeMode;
      if (!held || held.session.id !== ctx.caller.id) throw new CommandError('safe mode is not taken by this session');
      ctx.device.safeMode = undefined;
      ctx.device.restoreConfig(held.snapshot);
      ctx.out.done();
    },
    print(ctx) {
      if (!ctx.device.behaviour.safeMode) throw new CommandError('no such command prefix');
      ctx.out.re({ taken: ctx.device.safeMode ? 'true' : 'false' });
      ctx.out.done();
    },
  },
};
