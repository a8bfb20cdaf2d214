import { isUtf8 } from 'node:buffer';
import { parseExport } from '@tod/rsc';
import { BackupFailure } from './failures.js';

// "Never store a bad backup as good". What RouterOS prints instead of an export when a command fails (a v6 router
// answering `show-sensitive`, a user without the policy, a full disk) is short text with no `by RouterOS` header.
const CLI_ERROR =
  /^(expected end of command|bad command name|syntax error|input does not match|failure:|not enough permissions|no such item|invalid value)/im;
const HEADER = /^# .*\bby RouterOS \d/m;

/** The export text if it is a whole RouterOS export; a BackupFailure saying why not otherwise. */
export function checkExport(bytes: Buffer): string {
  // RouterOS writes values in the device's code page; text that is not UTF-8 is kept byte for byte (latin1).
  const text = bytes.toString(isUtf8(bytes) ? 'utf8' : 'latin1').replace(/\r\n/g, '\n');
  if (text.trim() === '') throw new BackupFailure('backup_empty', 'the router returned an empty export');
  const head = text.slice(0, 400);
  if (!HEADER.test(head)) {
    if (CLI_ERROR.test(head)) throw new BackupFailure('backup_command_failed', 'the router refused the export command');
    throw new BackupFailure('backup_not_routeros', 'the output is not a RouterOS export');
  }
  // An export ends with a newline after a complete command: a cut transfer ends mid-line or mid-continuation.
  if (!text.endsWith('\n') || /\\\n?$/.test(text.trimEnd()))
    throw new BackupFailure('backup_truncated', 'the export ends in the middle of a line');
  try {
    parseExport(text);
  } catch {
    throw new BackupFailure('backup_truncated', 'the export does not parse to the end');
  }
  return text;
}

// RouterOS .backup files start with a magic number: plain 0xB1A1AC88, encrypted 0x7291A8EF (RC4) / 0x7391A8EF
// (AES), little-endian on disk, followed by the file's length (uint32 LE): a cut download is caught by it.
const BACKUP_MAGICS = new Set([0xb1a1ac88, 0x7291a8ef, 0x7391a8ef]);

/** The binary backup if it looks like one. */
export function checkBinary(bytes: Buffer): Buffer {
  if (bytes.length < 8) throw new BackupFailure('backup_empty', 'the router returned an empty binary backup');
  if (!BACKUP_MAGICS.has(bytes.readUInt32LE(0)))
    throw new BackupFailure('backup_not_routeros', 'the binary backup is not a RouterOS backup file');
  if (bytes.readUInt32LE(4) !== bytes.length)
    throw new BackupFailure('backup_truncated', 'the binary backup is shorter or longer than its header says');
  return bytes;
}
