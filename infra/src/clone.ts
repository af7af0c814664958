/**
 * The clone keywatch runs from, as the CLI (`npm start`, `keywatch infra`) and the tests start its
 * processes: its root, its services, and how node runs one.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The clone's root (infra/..). Found by this package's name, not from this file: bundled into the
 * CLI's dist/, this module's import.meta.url is the bundle's.
 */
export const repoRoot: string = join(
  dirname(createRequire(import.meta.url).resolve('@keywatch/infra')),
  '..',
  '..',
);

export const SERVICES = ['verifier', 'aggregator', 'alerter', 'rotation'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * A service's entry point: its build, services/<name>/dist/main.js (`npm run build`), which plain
 * node runs as production does, or its TypeScript sources, services/<name>/src/main.ts.
 */
export const serviceMain = (name: ServiceName, { built }: { built: boolean }): string =>
  join(repoRoot, 'services', name, ...(built ? ['dist', 'main.js'] : ['src', 'main.ts']));

/** node's arguments that run a service: its build as it is, its sources through tsx. */
export const serviceArgs = (name: ServiceName, { built }: { built: boolean }): string[] =>
  built ? [serviceMain(name, { built })] : ['--import', 'tsx', serviceMain(name, { built })];
