// `npm test` runs a real nginx in front of the verifier (the gateway test) and a real Chromium
// (the API docs and the dashboard). When one is missing and this is a Debian machine where we are
// root, install Debian's package (nginx-light: seconds; chromium: a minute). No tool downloads a
// browser of its own: Playwright drives Debian's /usr/bin/chromium.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = [
  { name: 'nginx', path: '/usr/sbin/nginx', pkg: 'nginx-light', needs: 'the gateway test' },
  { name: 'chromium', path: '/usr/bin/chromium', pkg: 'chromium', needs: 'the browser tests' },
];

const missing = TOOLS.filter(
  (t) => !existsSync(t.path) && spawnSync(t.name, ['--version']).error !== undefined,
);
if (missing.length > 0) {
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  const packages = missing.map((t) => t.pkg);
  if (canApt) {
    console.error(
      `keywatch: installing Debian's ${packages.join(', ')} for ${missing.map((t) => t.needs).join(' and ')}…`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], {
        stdio: 'inherit',
        env,
      });
    if (install().status !== 0) {
      spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
      install();
    }
  } else {
    for (const t of missing) {
      console.error(
        `keywatch: ${t.name} is not installed; ${t.needs} need it (Debian: apt-get install ${t.pkg})`,
      );
    }
  }
}
