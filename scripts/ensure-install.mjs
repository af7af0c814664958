// Installs dependencies when they are missing or older than the lockfile, so `npm start` and
// `npm test` work from a fresh clone. Plain Node on purpose: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const lock = 'package-lock.json';
const fresh = existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
if (!fresh) {
  // `npm install` with the lockfile rather than `npm ci`: a registry that serves only this
  // platform's binaries leaves other platforms' optional packages out of the lock, and `npm ci`
  // refuses such a lock. `--no-save` keeps the clone's lockfile as committed.
  console.error('keywatch: installing dependencies…');
  const run = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
