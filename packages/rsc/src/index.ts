// @tod/rsc: RouterOS `/export` and script text — parse, serialise, normalise, redact, diff.
export { ParseError } from './errors.js';
export { escapeQuoted, formatValue, needsQuotes, unescapeQuoted } from './escape.js';
export { isDateLine, parseHeader } from './header.js';
export { parseExport, VERBS } from './parser.js';
export {
  findSelector,
  menuLine,
  serializeArgs,
  serializeCommand,
  serializeExport,
  serializeSelector,
} from './serialize.js';
export type {
  Arg,
  Command,
  ExportDocument,
  ExportHeader,
  Section,
  Selector,
  SerializeOptions,
  SerializeStyle,
} from './types.js';
