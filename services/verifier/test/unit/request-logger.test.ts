import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src/http/request-logger.ts';

/** A pino logger whose lines are collected, and a count of the child loggers made from it. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Counts the child loggers made from the server's own (children inherit `child` by prototype). */
function countChildren(server: { log: FastifyBaseLogger }) {
  const counted = { children: 0 };
  const parent = server.log;
  const child = parent.child;
  parent.child = function (this: FastifyBaseLogger, ...args: Parameters<typeof child>) {
    if (this === parent) counted.children++;
    return child.apply(this, args);
  } as typeof child;
  return counted;
}

async function app(logger: FastifyBaseLogger) {
  const server = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
  });
  server.get('/quiet', async () => 'ok');
  server.get('/logs', async (request) => {
    request.log.warn({ reason: 'testing' }, 'something to say');
    request.log.child({ step: 2 }).info('and more');
    return 'ok';
  });
  await server.ready();
  return server;
}

describe('the lazy request logger', () => {
  it('makes no child logger for a request that does not log', async () => {
    const server = await app(collectingLogger().logger);
    const counted = countChildren(server);
    for (let i = 0; i < 50; i++) expect((await server.inject('/quiet')).statusCode).toBe(200);
    expect(counted.children).toBe(0);
  });

  it('logs what a request logs with its request id, through one child made on first use', async () => {
    const { logger, lines } = collectingLogger();
    const server = await app(logger);
    const counted = countChildren(server);
    await server.inject('/logs');
    await new Promise((resolve) => setImmediate(resolve));
    const said = lines.filter((l) => l.msg === 'something to say' || l.msg === 'and more');
    expect(said).toHaveLength(2);
    expect(said[0]).toMatchObject({ level: 40, reason: 'testing', reqId: expect.any(String) });
    expect(said[1]).toMatchObject({ level: 30, step: 2, reqId: said[0]!.reqId });
    expect(counted.children).toBe(1);
  });

  it('reports the parent’s level until asked to change its own', async () => {
    const { logger } = collectingLogger();
    const requestLogger = lazyRequestLogger.call(
      Fastify(),
      logger,
      { reqId: 'r1' },
      {},
      {} as never,
    ) as FastifyBaseLogger;
    expect(requestLogger.level).toBe('info');
    requestLogger.level = 'error';
    expect(requestLogger.level).toBe('error');
    expect(logger.level).toBe('info');
  });
});
