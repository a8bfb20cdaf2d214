// Just enough of the Dockerfile and .dockerignore formats to check the repository's own files without a Docker
// engine: instructions (continuations joined, comments dropped), stages, and which context paths the ignore file
// leaves out. Not a general parser: the Dockerfile test fails if the file grows a form this does not read.

export type Instruction = { keyword: string; args: string };
export type Stage = { name: string; from: string; instructions: Instruction[] };

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && !pending)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (!full) continue;
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!;
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`unreadable FROM: ${args}`);
      stages.push({ from: f[1]!, name: f[2] ?? String(stages.length), instructions: [] });
    } else if (keyword === 'ARG' && stages.length === 0) {
      // A global ARG (before the first FROM): only used in FROM lines.
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push({ keyword, args });
    }
  }
  return stages;
}

/** The words of an instruction: its JSON (exec) form, else split on white space. */
export function words(args: string): string[] {
  if (args.trim().startsWith('[')) return JSON.parse(args) as string[];
  return args.split(/\s+/).filter(Boolean);
}

/** `COPY [--from=x] [--chown=…] src… dest`. */
export function copyOf(i: Instruction): { from?: string; sources: string[]; dest: string } {
  const w = words(i.args);
  const flags = w.filter((x) => x.startsWith('--'));
  const paths = w.filter((x) => !x.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/** The stages a stage builds on (FROM another stage), itself first. */
export function lineage(stages: Stage[], name: string): Stage[] {
  const out: Stage[] = [];
  for (let s = stages.find((x) => x.name === name); s; s = stages.find((x) => x.name === s!.from)) out.push(s);
  return out;
}

/** Whether .dockerignore leaves `path` (relative to the context, `/`-separated) or one of its folders out. */
export function ignoredBy(ignoreText: string, path: string): boolean {
  const patterns = ignoreText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error('.dockerignore exceptions (!) are not read here');
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/^\/+|\/+$/g, '')
          .split('/')
          .map((part) =>
            part === '**'
              ? '(?:.+/)?'
              : `${part
                  .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                  .replace(/\*/g, '[^/]*')
                  .replace(/\?/g, '[^/]')}/`,
          )
          .join('')
          .replace(/\/$/, '')}$`,
      ),
  );
  const parts = path.split('/');
  return parts.some((_, i) => {
    const prefix = parts.slice(0, i + 1).join('/');
    return regexes.some((r) => r.test(prefix));
  });
}
