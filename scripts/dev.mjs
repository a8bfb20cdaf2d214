// `npm run dev`: the API from sources (tsx) on PORT (3000) and Vite with hot reload on WEB_DEV_PORT (5173),
// which forwards /api, /health and /docs to the API. `npm run dev -- --web` runs only Vite (against a `tod start`
// you run yourself, or TOD_API_URL). Ctrl+C stops both.
import { spawn } from 'node:child_process';

const webOnly = process.argv.includes('--web');
const children = [];
function run(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    console.error(`dev: ${name} exited (${signal ?? code})`);
    stop();
  });
  children.push(child);
}
function stop() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  process.exitCode = 0;
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (!webOnly)
  run('api', process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts', 'start']);
run('web', process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'apps/web/vite.config.ts']);
