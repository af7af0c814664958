#!/usr/bin/env node
// In a checkout, where tsx (a dev dependency) is installed, the command runs its TypeScript
// sources, always current. Installed without dev dependencies (the Docker image), it runs its
// build, dist/main.js (`npm run build`), as `npm start` does.
let tsx = null;
try {
  tsx = await import('tsx/esm/api');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
if (tsx) {
  tsx.register();
  await import('../src/main.ts');
} else {
  await import('../dist/main.js');
}
