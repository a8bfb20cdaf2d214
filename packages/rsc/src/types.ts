// The parsed shape of a RouterOS `/export` (or simple script) text. See README.md for the full contract.

/** One property or bare word on a command line. */
export interface Arg {
  /**
   * Property name, fully expanded: v7 writes `configuration.country=X .mode=ap` and we store the second one as
   * `configuration.mode`. Empty string for a positional value (e.g. a bare quoted word). Bare flags such as
   * `!keepalive` keep their `!`.
   */
  name: string;
  /** Unescaped value; undefined for a bare word without `=`. */
  value?: string;
  /** The source wrote the value in double quotes. Serialisers keep the quotes so round trips are exact. */
  quoted?: boolean;
  /** The value was a `[ ... ]` script expression; `value` holds the inner text verbatim. */
  expr?: boolean;
}

/** Which item(s) a `set`/`remove`/... command addresses. */
export type Selector =
  /** `[ find default-name=ether1 ]`; `raw` is the text between the brackets, trimmed (`find default-name=ether1`). */
  | { kind: 'find'; conditions: Arg[]; raw: string }
  /** `set 0 ...` (old exports, `/port`, `/queue type`). */
  | { kind: 'position'; index: number }
  /** `set ether1 ...` or `set "E-mail send" ...`. */
  | { kind: 'name'; value: string; quoted?: boolean };

export interface Command {
  /** `add`, `set`, `remove`, `enable`, `disable`, `unset`, `move`, ... or `script` for a raw script statement. */
  verb: string;
  selector?: Selector;
  args: Arg[];
  /** 1-based line in the source where the command starts (0 for commands built in code). */
  line: number;
  /** Comment lines (text after `#`) directly above this command. */
  comments?: string[];
  /** For verb `script`: the statement text (`:global x 1`, `{ ... }`) exactly as written (continuations joined). */
  script?: string;
}

export interface Section {
  /** Menu path with slashes: `/ip firewall filter` → `/ip/firewall/filter`. `''` for commands before any menu. */
  path: string;
  commands: Command[];
  /** Comment lines directly above the menu line. */
  comments?: string[];
  /** 1-based line of the menu line (0 if implicit or built in code). */
  line: number;
}

export interface ExportHeader {
  /** ISO-8601 local time without zone (`2025-03-01T12:00:00`), from either header date format. */
  date?: string;
  /** The date/time as written: `jan/02/1970 00:24:39` or `2025-03-01 12:00:00`. */
  rawDate?: string;
  /** RouterOS version from `# ... by RouterOS 7.18.2`. */
  version?: string;
  softwareId?: string;
  model?: string;
  serial?: string;
  /** Every leading comment line verbatim (text after `#`), including the ones decoded above, in order. */
  comments: string[];
}

export interface ExportDocument {
  header: ExportHeader;
  sections: Section[];
  /** Comment lines after the last command. */
  trailingComments?: string[];
  /** Whether the source looked terse (menu path on every command line). Informational only. */
  style?: 'compact' | 'terse';
}

export type SerializeStyle = 'compact' | 'terse';

export interface SerializeOptions {
  /** compact (default): menu line then its commands. terse: `/menu path verb args` on every line. */
  style?: SerializeStyle;
  /** Leave out the header comments. */
  omitHeader?: boolean;
  /** Ignore `quoted` flags and quote only where RouterOS needs it (canonical output). */
  canonicalQuotes?: boolean;
}
