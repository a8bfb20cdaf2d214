// Deep copy of a parsed document; a hand-written copy is several times faster than structuredClone here.
import type { Arg, Command, ExportDocument, Section, Selector } from './types.js';

const copyArg = (a: Arg): Arg => ({ ...a });

function copySelector(s: Selector): Selector {
  return s.kind === 'find' ? { kind: 'find', conditions: s.conditions.map(copyArg), raw: s.raw } : { ...s };
}

function copyCommand(c: Command): Command {
  const out: Command = { ...c, args: c.args.map(copyArg) };
  if (c.selector) out.selector = copySelector(c.selector);
  if (c.comments) out.comments = [...c.comments];
  return out;
}

function copySection(s: Section): Section {
  const out: Section = { ...s, commands: s.commands.map(copyCommand) };
  if (s.comments) out.comments = [...s.comments];
  return out;
}

export function cloneDocument(doc: ExportDocument): ExportDocument {
  const out: ExportDocument = {
    ...doc,
    header: { ...doc.header, comments: [...doc.header.comments] },
    sections: doc.sections.map(copySection),
  };
  if (doc.trailingComments) out.trailingComments = [...doc.trailingComments];
  return out;
}
