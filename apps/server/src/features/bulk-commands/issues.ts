// What bulk commands answer when a text cannot run as written. One shape for every step (parse, deny-list,
// translation) so the editor can underline the place; `code` is the stable error code of the run.

export type IssueCode =
  /** The text is not a command line TOD reads (quoting, brackets, unknown command, item numbers, scripts, …). */
  | 'command_syntax'
  /** It reads, but this form cannot be run safely on many devices (where the message says why). */
  | 'command_unsupported'
  /** On the deny-list and not allowed for this run. */
  | 'command_denied'
  /** More than MAX_COMMANDS commands or MAX_TEXT_BYTES of text. */
  | 'commands_too_large';

export type CommandIssue = {
  /** 1-based line in the text as typed (continuations counted). */
  line: number;
  /** 1-based column. */
  column: number;
  message: string;
  code: IssueCode;
};

export const issue = (code: IssueCode, line: number, column: number, message: string): CommandIssue => ({
  line,
  column,
  message,
  code,
});
