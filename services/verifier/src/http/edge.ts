import { OrgLimitError } from '@keywatch/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { safePath } from '../request-info.ts';
import { SessionStoreUnavailableError } from '../sessions.ts';
import { isStoreUnreachable } from '../unavailable.ts';
import { ApiError, errorBody, type Problem, problems, SERVICE_UNAVAILABLE_RETRY_AFTER_S } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route's `:id` names ("API key"): a path that names none is `404 <resource> not found`. */
    resource?: string;
  }
}

const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/** "field: what is wrong", one per issue, as the contract's 400 names them. */
function validationProblems(err: FastifyError): string[] {
  const part = PART_NAMES[err.validationContext ?? 'body'] ?? 'body';
  return (err.validation ?? []).map((issue) => {
    const field = issue.instancePath.split('/').filter(Boolean).join('.');
    return `${field || part}: ${issue.message}`;
  });
}

/** Fastify's own refusals of a request, before any handler, in the contract's words. */
function frameworkProblem(err: FastifyError, request: FastifyRequest): Problem | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problems.payloadTooLarge(request.routeOptions.bodyLimit ?? 0);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problems.unsupportedMediaType(request.headers['content-type'] ?? '');
  }
  // Any other refusal of the request itself (bad JSON, empty JSON body, bad Content-Length).
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return problems.invalidRequest([`body: ${err.message}`]);
  }
  return null;
}

/**
 * Errors become answers here and nowhere else: an ApiError answers its problem, an org at one of
 * its bounds answers 409, a request that
 * fails its route's schema answers 400 naming each field (404 when the path names no resource),
 * and anything unexpected answers 500 with the contract's body and no detail.
 */
function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof ApiError) return send(reply, err.problem, err.headers);
  if (err instanceof OrgLimitError) return send(reply, problems.conflict(err.message));
  if (hasZodFastifySchemaValidationErrors(err)) {
    if (err.validationContext === 'params') {
      return send(reply, problems.notFound(request.routeOptions.config.resource ?? 'resource'));
    }
    return send(reply, problems.invalidRequest(validationProblems(err)));
  }
  const refused = frameworkProblem(err, request);
  if (refused) return send(reply, refused);
  const unreachable = isStoreUnreachable(err)
    ? 'Postgres'
    : err instanceof SessionStoreUnavailableError
      ? 'Redis'
      : null;
  if (unreachable) {
    request.log.warn({ err, path: safePath(request.url) }, `${unreachable} unreachable`);
    return send(reply, problems.unavailable(), { 'retry-after': SERVICE_UNAVAILABLE_RETRY_AFTER_S });
  }
  request.log.error({ err, path: safePath(request.url) }, 'request failed');
  return send(reply, problems.internal());
}

const send = (reply: FastifyReply, problem: Problem, headers: Record<string, string | number> = {}) => {
  const body = errorBody(problem);
  return reply.code(body.status).headers(headers).send(body);
};

/** A route's path as a pattern: `:name` is one segment, `*` the rest. */
const patternOf = (url: string) =>
  new RegExp(
    `^${url
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')}$`,
  );

/**
 * Installs the error handler and the answer for paths no route serves: `405` with `Allow` when
 * the path exists under other methods, `404` otherwise. Call before the routes are registered.
 */
export function answerErrors(app: FastifyInstance) {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    const known = routes.find((r) => r.pattern.source === patternOf(route.url).source);
    if (known) known.methods.push(...methods);
    else routes.push({ pattern: patternOf(route.url), methods });
  });
  app.setErrorHandler(answerError);
  app.setNotFoundHandler((request, reply) => {
    const path = safePath(request.url) ?? '/';
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (allowed.size > 0) {
      return send(reply, problems.methodNotAllowed(request.method, path), { allow: [...allowed].join(', ') });
    }
    return send(reply, problems.notFound(`route ${request.method} ${path}`));
  });
}
