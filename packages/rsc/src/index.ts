// @tod/rsc: RouterOS `/export` and script text — parse, serialise, normalise, redact, diff.

export { cloneDocument } from './clone.js';
export { ApplyError, applyCommands, select } from './diff/apply.js';
export { diffToCommands, selectorFor } from './diff/commands.js';
export { isDefaultValue } from './diff/defaults.js';
export { isOrderedMenu, keyFields, naturalKey } from './diff/keys.js';
export { diffLines, type LineOp, unifiedDiff } from './diff/lines.js';
export { type OverlayIssue, type OverlayOptions, type OverlayResult, overlayCommands } from './diff/overlay.js';
export { diffToJSON, formatDiff, type ItemJSON } from './diff/report.js';
export {
  diffExports,
  diffStates,
  type ExportDiff,
  type ItemChange,
  type ItemMove,
  longestIncreasing,
  type MenuDiff,
  matchItems,
  type PropChange,
} from './diff/semantic.js';
export { buildState, type ConfigState, type Item, type MenuState } from './diff/state.js';
export { ParseError } from './errors.js';
export { escapeQuoted, formatValue, needsQuotes, unescapeQuoted } from './escape.js';
export { isDateLine, parseHeader } from './header.js';
// The line lexer and source map, for other RouterOS command-line readers (bulk commands) to share one lexer.
export { lexLine, scanBracket, scanQuoted, type Token } from './lexer.js';
export { isVolatileComment, type NormalizedExport, normalizeExport } from './normalize.js';
export { parseExport, VERBS } from './parser.js';
export { findSecrets, isSecretProperty, type Replacement, redactSecrets } from './secrets.js';
export {
  findSelector,
  menuLine,
  serializeArgs,
  serializeCommand,
  serializeExport,
  serializeSelector,
} from './serialize.js';
export { SourceText } from './source.js';
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
