// Builds the dashboard (services/dashboard → dist, served by the verifier at /) when its build is
// missing or older than any of its sources, so `npm start` and `npm test` serve the current one.
// Plain Node on purpose, like ensure-install.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'services/dashboard/dist/index.html';
const sources = [
  'services/dashboard/src',
  'services/dashboard/build',
  'services/dashboard/index.html',
  'services/dashboard/vite.config.ts',
  'services/dashboard/package.json',
  'packages/client/src',
];

/** The newest modification time under a file or folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  console.error('keywatch: building the dashboard…');
  const run = spawnSync('npm', ['run', 'build', '--silent', '-w', '@keywatch/dashboard'], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
