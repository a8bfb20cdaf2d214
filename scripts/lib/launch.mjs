// What the tod, tod-sim and tod-rsc bins run: the bundle in dist/ when `npm run build` has made it, otherwise the
// TypeScript sources through tsx (a devDependency), so the commands work right after `npm install`. npm links a
// bin only when its file exists at install time, which is why the bins are small committed files and not dist/.
// TOD_RUN_SOURCES=1 runs the sources even when a build exists.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

// Workspace packages (@tod/*) resolve to their .ts sources under the `source` export condition, as in tests and
// `npm run dev` (node --conditions=source); this hook adds the condition for this process only.
const sourceCondition = `data:text/javascript,${encodeURIComponent(
  'export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, "source"] }); }',
)}`;

/** Runs `dist` (a built .js) or `src` (its .ts entry), both relative to the bin file's URL `from`. */
export async function launch(from, dist, src) {
  const built = new URL(dist, from);
  if (process.env.TOD_RUN_SOURCES !== '1' && existsSync(built)) return import(built.href);
  register(sourceCondition);
  await import('tsx');
  return import(new URL(src, from).href);
}
