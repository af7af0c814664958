import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, type ServiceName, serviceArgs } from '@keywatch/infra';
import { waitFor } from './wait.ts';

export { repoRoot, type ServiceName };

export interface ServiceProcess {
  name: string;
  pid: number;
  /** Everything the process printed, for a failing test to show. */
  output(): string;
  /** SIGTERM, then wait for the process to end (SIGKILL after a deadline). */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts a service as a real process, as `keywatch start` would, and waits for its /healthz. The
 * database must be migrated (createTestContext does it): services only check. It runs from its
 * TypeScript sources through tsx (what tests exercise, always current), or with `built` from its
 * build, services/<name>/dist/main.js, with plain node as production runs it (`buildForTest` first).
 */
export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  healthPort: number,
  { built = false }: { built?: boolean } = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, serviceArgs(name, { built }), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = track(name, child);
  try {
    await waitFor(
      `${name} /healthz on port ${healthPort}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${name} exited with ${child.exitCode}:\n${handle.output()}`);
        const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
        return res.ok;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (err) {
    await handle.kill();
    throw new Error(`${(err as Error).message}\n--- ${name} output ---\n${handle.output()}`);
  }
  return handle;
}

/**
 * Runs a command to completion (for the CLI), returning its exit code and output: TypeScript
 * through tsx, or with `built` JavaScript with plain node; `input` is its stdin (else an empty one).
 */
export async function runCommand(
  args: string[],
  env: Record<string, string>,
  { built = false, input }: { built?: boolean; input?: Buffer | string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, built ? args : ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: 'pipe',
  });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

export const cliPath = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');
/** The CLI's build, for `runCommand(..., { built: true })`. */
export const builtCliPath = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

/**
 * Builds these workspaces, side by side (`npm run build` in each: services/<name>/dist,
 * packages/cli/dist), for a test that runs what production runs. A second or two of esbuild each.
 */
export async function buildForTest(workspaces: string[]): Promise<void> {
  await Promise.all(
    workspaces.map(async (workspace) => {
      const child = spawn('npm', ['run', 'build', '--silent', '-w', workspace], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      if (code !== 0) throw new Error(`npm run build -w ${workspace} exited ${code}:\n${output}`);
    }),
  );
}

function track(name: string, child: ChildProcess): ServiceProcess {
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      return child.exitCode;
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}
