import { createHash, randomBytes } from 'node:crypto';
import { type Redis, ReplyError } from 'ioredis';

/** How long a dashboard session stands for the key that signed in: 12 h, not extended by use. */
export const SESSION_TTL_S = 12 * 60 * 60;

/** What is stored of a session: who signed in, never the key or the session id. */
export interface Session {
  keyId: string;
  orgId: string;
  /** ISO 8601. */
  createdAt: string;
}

/** Dashboard sessions: the browser holds the id, the store only its SHA-256. */
export interface SessionStore {
  /** Starts a session for the key; answers its id (32 random bytes, base64url), for the cookie only. */
  create(who: { keyId: string; orgId: string }): Promise<string>;
  /** The session this id names, or null when it is unknown or over. */
  find(id: string): Promise<Session | null>;
  /** Ends the session (nothing when there is none); answers what it was. */
  end(id: string): Promise<Session | null>;
}

/**
 * Redis cannot be reached: no session can be started, found or ended just now (a 503, not a 500).
 * Redis's own refusals (a reply error) are not that: they stay errors.
 */
export class SessionStoreUnavailableError extends Error {
  override name = 'SessionStoreUnavailableError';
  constructor(cause: unknown) {
    super('the session store (Redis) cannot be reached', { cause });
  }
}

const reached = async <T>(command: Promise<T>): Promise<T> => {
  try {
    return await command;
  } catch (err) {
    throw err instanceof ReplyError ? err : new SessionStoreUnavailableError(err);
  }
};

/** A session id as `create` makes them: anything else names no session and is never looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

const parse = (stored: string | null): Session | null => {
  if (stored === null) return null;
  try {
    const value = JSON.parse(stored) as Partial<Session>;
    if (typeof value.keyId !== 'string' || typeof value.orgId !== 'string') return null;
    if (typeof value.createdAt !== 'string') return null;
    return { keyId: value.keyId, orgId: value.orgId, createdAt: value.createdAt };
  } catch {
    return null; // written behind our back: it names no session
  }
};

/**
 * Sessions in Redis under `<prefix>:session:<sha256 of the id>`, each expiring 12 h after sign-in:
 * a leak of Redis gives no usable cookie. `now` dates the sessions, which also end by their own
 * age should a key outlive its expiry.
 */
export function redisSessions(
  redis: Redis,
  prefix: string,
  now: () => Date = () => new Date(),
): SessionStore {
  const keyOf = (id: string) => `${prefix}:session:${hashOf(id)}`;
  const current = (session: Session | null) =>
    session && Date.parse(session.createdAt) + SESSION_TTL_S * 1000 > now().getTime() ? session : null;
  return {
    async create({ keyId, orgId }) {
      const id = randomBytes(32).toString('base64url');
      const session: Session = { keyId, orgId, createdAt: now().toISOString() };
      await reached(redis.set(keyOf(id), JSON.stringify(session), 'EX', SESSION_TTL_S));
      return id;
    },
    async find(id) {
      if (!SESSION_ID.test(id)) return null;
      return current(parse(await reached(redis.get(keyOf(id)))));
    },
    async end(id) {
      if (!SESSION_ID.test(id)) return null;
      return parse(await reached(redis.getdel(keyOf(id))));
    },
  };
}
