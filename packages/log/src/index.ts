import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Where secrets can appear in what we log; pino replaces them with "[redacted]". */
export const redactPaths = [
  'authorization',
  'key',
  'secret',
  'token',
  'password',
  '*.authorization',
  '*.key',
  '*.secret',
  '*.token',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'request.headers.authorization',
];

// Last line of defence: a secret pasted into a message or an error string is masked too.
const secretPattern = /\b(sk_live_|whsec_)[A-Za-z0-9]+|\bxox[abpr]-[A-Za-z0-9-]+|\bBearer\s+\S+/g;
export const maskSecrets = (text: string): string =>
  text.replace(secretPattern, (match, skPrefix: string | undefined) =>
    skPrefix ? `${skPrefix}[redacted]` : match.startsWith('Bearer') ? 'Bearer [redacted]' : '[redacted]',
  );

export interface LogOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LogOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: {
        err: (err: unknown) => {
          const serialized = pino.stdSerializers.err(err as Error);
          if (serialized?.message) serialized.message = maskSecrets(serialized.message);
          if (serialized?.stack) serialized.stack = maskSecrets(serialized.stack);
          return serialized;
        },
      },
    },
    destination,
  );
}
