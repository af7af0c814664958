import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@keywatch/infra';
import { fakeSecret, repoRoot, waitFor } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifier, type Verifier } from './harness.ts';

// A real gateway: Debian's nginx with auth_request, configured from infra/nginx, in front of a
// small upstream, asking the verifier about every request.
let v: Verifier;
let nginx: ChildProcess;
let upstream: Server;
let dir: string;
let gateway: string;

beforeAll(async () => {
  const nginxBin = spawnSync('nginx', ['-v']).error === undefined ? 'nginx' : '/usr/sbin/nginx';
  if (spawnSync(nginxBin, ['-v']).error) {
    throw new Error(
      "nginx not found: `npm test` installs Debian's nginx-light when run as root; install it otherwise",
    );
  }
  v = await startVerifier('nginx');
  await v.app.listen({ port: 0, host: '127.0.0.1' });
  const verifierPort = (v.app.server.address() as { port: number }).port;
  upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ upstream: true, path: req.url, keyId: req.headers['x-key-id'] ?? null }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as { port: number }).port;
  const listen = await freePort();
  gateway = `http://127.0.0.1:${listen}`;
  dir = mkdtempSync(join(tmpdir(), 'keywatch-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const values: Record<string, string> = {
    LISTEN: `127.0.0.1:${listen}`,
    VERIFIER: `127.0.0.1:${verifierPort}`,
    UPSTREAM: `127.0.0.1:${upstreamPort}`,
    SCOPE: 'agents:write',
    DIR: dir,
  };
  const template = readFileSync(join(repoRoot, 'infra', 'nginx', 'keywatch.conf.template'), 'utf8');
  writeFileSync(
    join(dir, 'nginx.conf'),
    template.replace(/\$\{([A-Z]+)\}/g, (_, name: string) => values[name]!),
  );
  nginx = spawn(nginxBin, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr!.on('data', (c) => (stderr += c));
  await waitFor('nginx to listen', async () => {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    return fetch(gateway).then(
      () => true,
      () => false,
    );
  });
}, 60_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await new Promise((resolve) => nginx.once('exit', resolve));
  }
  await new Promise((resolve) => upstream?.close(resolve));
  await v?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const through = (path: string, authorization?: string) =>
  fetch(`${gateway}${path}`, { headers: authorization ? { authorization } : {} });

describe('nginx auth_request in front of an upstream', () => {
  it('a good key reaches the upstream, which learns the key id', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['agents:write'] });
    const res = await through('/agents/42?verbose=1', `Bearer ${secret}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ upstream: true, path: '/agents/42?verbose=1', keyId: key.id });
  });

  it('a bad key gets 401 with the contract body, and never reaches the upstream', async () => {
    const res = await through('/agents', `Bearer ${fakeSecret('notakey')}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({
      error: { code: 'invalid_api_key', message: 'The API key provided is invalid' },
      status: 401,
    });
  });

  it('no key gets 401 missing_auth_header', async () => {
    const res = await through('/agents');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_auth_header');
  });

  it('a key without the scope gets 403 with the contract body', async () => {
    const { secret } = await v.makeKey({ scopes: ['agents:read'] });
    const res = await through('/agents', `Bearer ${secret}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'insufficient_scope', message: 'API key lacks required scope: agents:write' },
      status: 403,
    });
  });

  it("a client's own X-Required-Scope (empty, or one its key holds) cannot replace the gateway's", async () => {
    const { secret } = await v.makeKey({ scopes: ['agents:read'] });
    for (const claimed of ['', 'agents:read']) {
      const res = await fetch(`${gateway}/agents`, {
        headers: { authorization: `Bearer ${secret}`, 'x-required-scope': claimed },
      });
      expect(res.status).toBe(403);
    }
  });

  it('the verifier sees the original request through the gateway', async () => {
    const { key, secret } = await v.makeKey({ scopes: ['agents:write'] });
    await through(`/agents/7?token=${fakeSecret('shouldneverbeseen')}`, `Bearer ${secret}`);
    const [event] = await v.readEvents([key.id], (e) => e.length >= 1);
    expect(event).toMatchObject({
      method: 'GET',
      path: '/agents/7',
      ip: '127.0.0.1',
      scope: 'agents:write',
      code: 'VALID',
    });
  });
});
