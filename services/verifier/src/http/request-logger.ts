import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type Log = (...args: unknown[]) => void;

/**
 * A request's logger, made when the request first logs. Most never do (request logging is off),
 * and a pino child per request (its bindings serialized, its redaction set up) cost more than the
 * rest of what Fastify does for a request.
 */
class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  get level(): FastifyBaseLogger['level'] {
    return this.#child?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: FastifyBaseLogger['level']) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]) {
    (this.logger.fatal as Log)(...args);
  }
  error(...args: unknown[]) {
    (this.logger.error as Log)(...args);
  }
  warn(...args: unknown[]) {
    (this.logger.warn as Log)(...args);
  }
  info(...args: unknown[]) {
    (this.logger.info as Log)(...args);
  }
  debug(...args: unknown[]) {
    (this.logger.debug as Log)(...args);
  }
  trace(...args: unknown[]) {
    (this.logger.trace as Log)(...args);
  }
  silent() {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

export const lazyRequestLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => new RequestLogger(logger, bindings, options);
