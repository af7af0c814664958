// `npm test` runs a real nginx in front of the verifier (the gateway test). When nginx is missing
// and this is a Debian machine where we are root, install Debian's nginx-light (a few seconds).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const haveNginx = spawnSync('nginx', ['-v']).error === undefined || existsSync('/usr/sbin/nginx');
if (!haveNginx) {
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (canApt) {
    console.error("keywatch: installing Debian's nginx-light for the gateway test…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nginx-light'], {
        stdio: 'inherit',
        env,
      });
    if (install().status !== 0) {
      spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
      install();
    }
  } else {
    console.error(
      'keywatch: nginx is not installed; the gateway test needs it (Debian: apt-get install nginx-light)',
    );
  }
}
