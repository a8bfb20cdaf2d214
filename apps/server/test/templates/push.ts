import {
  applyCommands,
  buildState,
  type Command,
  type ConfigState,
  type ExportHeader,
  findSelector,
  normalizeExport,
  parseExport,
  serializeExport,
} from '@tod/rsc';

/**
 * The export a device would give after running `cli` (what the next backup holds), by rsc's evaluator. A real
 * device would also leave default values (`disabled=no`) out of it; plans treat both alike.
 */
export function afterPush(current: string, cli: string[]): string {
  const { doc } = normalizeExport(current);
  return exportOf(applyCommands(buildState(doc), parseExport(cli.join('\n'))), doc.header);
}

function exportOf(state: ConfigState, header: ExportHeader): string {
  const sections = [...state.values()].map((m) => ({
    path: m.path,
    line: 0,
    commands: m.items.map((i): Command => {
      const args = [...i.props].map(([name, value]) => ({ name, value }));
      if (i.origin === 'add') return { verb: 'add', args, line: 0 };
      const cmd: Command = { verb: 'set', args, line: 0 };
      const sel = i.identity.length > 0 ? findSelector(i.identity) : i.selector;
      if (sel) cmd.selector = sel;
      return cmd;
    }),
  }));
  return serializeExport({ header, sections });
}
