// Whole-configuration commands: /export, /import, /system/script/run, /system/backup, /safe-mode, /file/read.
import { exportText } from '../export.js';
import { runScript } from '../script.js';
import { ConfigStore, type Item, type StoreSnapshot } from '../store.js';
import { formatDateTime } from '../values.js';
import { argFlag, type CommandContext, CommandError, type Handler, requirePolicy } from './context.js';
import { resolve } from './menu.js';

export function findFile(ctx: CommandContext, name: string): Item | undefined {
  return ctx.device.store.menu('/file', false)?.items.find((f) => ConfigStore.get(f, 'name') === name);
}

export function writeFile(ctx: CommandContext, name: string, type: string, contents: string): void {
  const props = new Map([
    ['name', name],
    ['type', type],
    ['size', String(Buffer.byteLength(contents, 'latin1'))],
    ['creation-time', formatDateTime(new Date(), ctx.device.behaviour.isoDates)],
    ['contents', contents],
  ]);
  const existing = findFile(ctx, name);
  if (existing) ctx.device.store.remove('/file', existing);
  ctx.device.store.add('/file', props);
}

/**
 * `/export`: over the API RouterOS writes the text only to a file (`=file=name` → `name.rsc`); without `file` it
 * answers a bare `!done`, which is what clients see from real routers too.
 */
function exportCommand(ctx: CommandContext): void {
  const d = ctx.device;
  const file = ctx.args.get('file');
  if (file !== undefined) requirePolicy(ctx, 'write');
  const show = d.behaviour.hideSecretsByDefault ? argFlag(ctx, 'show-sensitive') : !argFlag(ctx, 'hide-sensitive');
  if (show && !ctx.caller.policies.has('sensitive')) throw new CommandError('not enough permissions (9)');
  const style = argFlag(ctx, 'verbose') ? 'verbose' : argFlag(ctx, 'terse') ? 'terse' : 'compact';
  const text = exportText(d.store, d.exportHeader(), {
    style,
    showSensitive: show,
    ...(ctx.path !== '' ? { under: ctx.path } : {}),
  });
  const finish = () => {
    if (file !== undefined) writeFile(ctx, file.endsWith('.rsc') ? file : `${file}.rsc`, 'script', text);
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
  const file = findFile(ctx, name) ?? findFile(ctx, `${name}.rsc`);
  if (!file) throw new CommandError('no such file', 1);
  runText(ctx, ConfigStore.get(file, 'contents') ?? '');
}

/** A snapshot without `/file` (files live outside the configuration a backup restores). */
function configSnapshot(ctx: CommandContext): StoreSnapshot {
  const snap = ctx.device.store.snapshot();
  snap.menus = snap.menus.filter((m) => m.path !== '/file');
  return snap;
}

function restoreConfig(ctx: CommandContext, snap: StoreSnapshot): void {
  const files = ctx.device.store.menu('/file', false);
  ctx.device.store.restore(snap);
  if (files) ctx.device.store.menus.set('/file', files);
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
  '/system/backup': {
    save(ctx) {
      requirePolicy(ctx, 'write');
      const base =
        ctx.args.get('name') ?? `${ctx.device.identity}-${formatDateTime(new Date(), true).replace(/[ :]/g, '-')}`;
      const name = base.endsWith('.backup') ? base : `${base}.backup`;
      ctx.device.backups.set(name, configSnapshot(ctx));
      writeFile(ctx, name, 'backup', '');
      const file = findFile(ctx, name);
      file?.props.delete('contents');
      file?.props.set('size', String(20_000 + 64 * ctx.device.store.menus.size));
      ctx.device.log('system,info', `configuration backup saved by ${ctx.caller.userName}`);
      ctx.out.done();
    },
    load(ctx) {
      requirePolicy(ctx, 'write');
      const name = ctx.args.get('name') ?? '';
      const snap = ctx.device.backups.get(name) ?? ctx.device.backups.get(`${name}.backup`);
      if (!snap || !(findFile(ctx, name) ?? findFile(ctx, `${name}.backup`))) throw new CommandError('no such file', 1);
      restoreConfig(ctx, snap);
      ctx.device.log('system,info', `configuration restored from backup by ${ctx.caller.userName}`);
      // RouterOS reboots to apply a loaded backup.
      setImmediate(() => ctx.device.reboot());
    },
  },
  '/file': {
    add(ctx) {
      // File creation from the API exists from 7.9.
      if (!ctx.device.behaviour.v7 || ctx.device.version.minor < 9) throw new CommandError('no such command');
      requirePolicy(ctx, 'write');
      const name = ctx.args.get('name');
      if (!name) throw new CommandError('name must be set', 1);
      writeFile(ctx, name, ctx.args.get('type') ?? 'file', ctx.args.get('contents') ?? '');
      ctx.out.done({ ret: `*${(findFile(ctx, name) as Item).id.toString(16).toUpperCase()}` });
    },
    read(ctx) {
      if (!ctx.device.behaviour.v7 || ctx.device.version.minor < 13) throw new CommandError('no such command');
      const file = findFile(ctx, ctx.args.get('file') ?? '');
      if (!file) throw new CommandError('no such file', 1);
      const text = ConfigStore.get(file, 'contents') ?? '';
      const offset = Number(ctx.args.get('offset') ?? '0');
      const size = Number(ctx.args.get('chunk-size') ?? '4096');
      if (!Number.isInteger(offset) || !Number.isInteger(size) || offset < 0 || size <= 0 || size > 65536) {
        throw new CommandError('invalid offset or chunk-size', 1);
      }
      ctx.out.re({ data: text.slice(offset, offset + size) });
      ctx.out.done();
    },
  },
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
        ctx.device.safeMode = { session, snapshot: configSnapshot(ctx) };
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
      restoreConfig(ctx, held.snapshot);
      ctx.device.safeMode = undefined;
      ctx.out.done();
    },
    print(ctx) {
      if (!ctx.device.behaviour.safeMode) throw new CommandError('no such command prefix');
      ctx.out.re({ taken: ctx.device.safeMode ? 'true' : 'false' });
      ctx.out.done();
    },
  },
};
