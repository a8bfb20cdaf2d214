import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createGitMirror, type GitMirrorOptions } from '../../src/platform/git/mirror.js';
import { createLogger } from '../../src/platform/log/logger.js';

// Real git for the git mirror's tests: a scratch store per file, a logger whose lines the tests read, and the git
// CLI as an MSP would run it (their own clone, without TOD's settings).

export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'tod-git-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination: sink }), lines };
}

export function mirrorAt(root: string, o: Partial<GitMirrorOptions> = {}) {
  const { log, lines } = capturedLog();
  const mirror = createGitMirror({ root, log, pushTimeoutMs: 20_000, allowLocalRemotes: true, ...o });
  return { mirror, lines };
}

/** git as a person runs it, outside TOD (no user or system config either, so the host cannot change the answer). */
export function plainGit(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Someone Else',
      GIT_AUTHOR_EMAIL: 'else@example.com',
      GIT_COMMITTER_NAME: 'Someone Else',
      GIT_COMMITTER_EMAIL: 'else@example.com',
    },
  });
}

export const newTenant = () => randomUUID();
export const author = { name: 'Ada Admin', email: 'ada@msp.example' };
