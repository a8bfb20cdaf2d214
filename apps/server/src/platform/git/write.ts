import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { GitResult, GitRun } from './git.js';
import { GitMirrorError } from './names.js';

// Writing commits without a working tree or the repository's index: read the branch, look up the paths being
// written in its tree, decide in memory which files really change, stream the commits through one `git fast-import`
// (blobs, trees and commits in one process, any number of commits), then move the branch with a compare-and-swap.
// A process that loses the swap to another writer starts over from the new branch; its objects are unreachable and
// git's gc removes them after two weeks.

export type MirrorFile = { path: string; content: string | null /* null deletes */ };
export type MirrorCommit = {
  files: MirrorFile[];
  message: string;
  author: { name: string; email: string };
  date: Date;
};

type Git = (o: Omit<GitRun, 'gitDir' | 'timeoutMs' | 'maxBytes'> & { maxBytes?: number }) => Promise<GitResult>;
type Change = { path: string; content: string | null };
type Kind = { type: 'blob'; sha: string } | { type: 'tree' } | { type: 'none' };

export const zeroSha = '0'.repeat(40);
const branch = 'refs/heads/main';
const casAttempts = 20;

/** The id git gives a file's content (SHA-1 repositories). */
const blobSha = (content: string) => {
  const body = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
};

/** The branch's commit and tree, or undefined before the first commit. */
export async function readHead(git: Git): Promise<{ sha: string; tree: string } | undefined> {
  const r = await git({ args: ['for-each-ref', '--format=%(objectname) %(tree)', branch] });
  const [sha, tree] = r.stdout.toString().trim().split(' ');
  return sha && tree ? { sha, tree } : undefined;
}

/** Commits in order on main; for each, its id, or null when it changed nothing. */
export async function writeCommits(
  git: Git,
  commits: MirrorCommit[],
  committer: { name: string; email: string },
  tmpName: (suffix: string) => string,
): Promise<Array<string | null>> {
  for (let attempt = 1; ; attempt++) {
    const head = await readHead(git);
    const plan = planChanges(commits, await lookUp(git, head?.tree, commits));
    if (plan.every((c) => c === null)) return plan.map(() => null);
    const shas = await fastImport(git, commits, plan, head?.sha, committer, tmpName);
    const last = shas.filter((s) => s !== null).at(-1)!;
    const moved = await git({
      args: ['update-ref', '-m', 'tod', branch, last, head?.sha ?? zeroSha],
      okCodes: [1, 128],
    });
    if (moved.exitCode === 0) return shas;
    // Another process moved the branch (or holds its lock for a moment): build on its commit instead.
    if (attempt >= casAttempts)
      throw new GitMirrorError('git_conflict', `the branch kept moving: gave up after ${attempt} attempts`);
    await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
  }
}

/** What each written path and each folder above it is in the branch's tree today, in one `cat-file`. */
async function lookUp(git: Git, tree: string | undefined, commits: MirrorCommit[]): Promise<Map<string, Kind>> {
  const paths = new Set<string>();
  for (const c of commits)
    for (const f of c.files) {
      const parts = f.path.split('/');
      for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
    }
  const kinds = new Map<string, Kind>();
  const list = [...paths];
  if (!tree) {
    for (const p of list) kinds.set(p, { type: 'none' });
    return kinds;
  }
  const r = await git({
    args: ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
    input: `${list.map((p) => `${tree}:${p}`).join('\n')}\n`,
    maxBytes: 64 * 1024 * 1024,
  });
  r.stdout
    .toString()
    .trim()
    .split('\n')
    .forEach((line, i) => {
      const [sha, type] = line.split(' ');
      kinds.set(
        list[i]!,
        type === 'blob' ? { type: 'blob', sha: sha! } : type === 'tree' ? { type: 'tree' } : { type: 'none' },
      );
    });
  return kinds;
}

/** The real changes of each commit, or null when it changes nothing. Refuses a file where a folder is and a folder
 *  where a file is: fast-import (like update-index) would silently drop the folder's files. */
function planChanges(commits: MirrorCommit[], kinds: Map<string, Kind>): Array<Change[] | null> {
  return commits.map((c) => {
    const changes: Change[] = [];
    for (const f of c.files) {
      const now = kinds.get(f.path)!;
      if (f.content === null) {
        if (now.type !== 'blob') continue; // not there (a folder is not deleted by naming it)
        kinds.set(f.path, { type: 'none' });
        changes.push(f);
        continue;
      }
      if (now.type === 'tree') throw new GitMirrorError('git_invalid_path', `${f.path} is a folder already`);
      const parts = f.path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const above = parts.slice(0, i).join('/');
        if (kinds.get(above)!.type === 'blob')
          throw new GitMirrorError('git_invalid_path', `${f.path}: ${above} is a file already`);
        kinds.set(above, { type: 'tree' });
      }
      const sha = blobSha(f.content);
      if (now.type === 'blob' && now.sha === sha) continue;
      kinds.set(f.path, { type: 'blob', sha });
      changes.push(f);
    }
    return changes.length ? changes : null;
  });
}

const ident = (s: string) => s.replace(/[\x00-\x1f\x7f<>]/g, '').trim() || 'unknown';
// No NUL or record separators (log parses on them), at most 64 KiB.
const cleanMessage = (m: string) =>
  m
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .slice(0, 65_536)
    .trim() || 'update';

function* stream(
  commits: MirrorCommit[],
  plan: Array<Change[] | null>,
  parent: string | undefined,
  committer: { name: string; email: string },
  ref: string,
): Generator<Buffer> {
  const data = (text: string) => {
    const b = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n')]);
  };
  const now = Math.floor(Date.now() / 1000);
  let from = parent;
  yield Buffer.from('feature done\n');
  for (const [i, changes] of plan.entries()) {
    if (!changes) continue;
    const c = commits[i]!;
    const when = Math.floor(c.date.getTime() / 1000);
    yield Buffer.from(
      `commit ${ref}\nmark :${i + 1}\n` +
        `author ${ident(c.author.name)} <${ident(c.author.email)}> ${when} +0000\n` +
        `committer ${ident(committer.name)} <${ident(committer.email)}> ${now} +0000\n`,
    );
    yield data(cleanMessage(c.message));
    if (from) yield Buffer.from(`from ${from}\n`);
    for (const ch of changes) {
      if (ch.content === null) yield Buffer.from(`D ${ch.path}\n`);
      else {
        yield Buffer.from(`M 100644 inline ${ch.path}\n`);
        yield data(ch.content);
      }
    }
    yield Buffer.from('\n');
    from = `:${i + 1}`;
  }
  // fast-import must name a ref to commit to; `reset` without `from` deletes it again, so only main is ever moved.
  yield Buffer.from(`reset ${ref}\n\ndone\n`);
}

async function fastImport(
  git: Git,
  commits: MirrorCommit[],
  plan: Array<Change[] | null>,
  parent: string | undefined,
  committer: { name: string; email: string },
  tmpName: (suffix: string) => string,
): Promise<Array<string | null>> {
  const marks = tmpName('.marks');
  const ref = `refs/tod/import/${marks.split('/').at(-1)!.replace(/\W/g, '')}`;
  try {
    await git({
      args: ['fast-import', '--quiet', `--export-marks=${marks}`],
      input: stream(commits, plan, parent, committer, ref),
    });
    const ids = new Map<string, string>();
    for (const line of (await readFile(marks, 'utf8')).split('\n')) {
      const [mark, sha] = line.split(' ');
      if (mark && sha) ids.set(mark, sha);
    }
    return plan.map((c, i) => (c ? ids.get(`:${i + 1}`)! : null));
  } finally {
    await rm(marks, { force: true });
  }
}
