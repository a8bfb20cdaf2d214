import pino, { type Logger } from 'pino';

// Anything that can carry a secret is censored wherever it appears in a log line.
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.key',
  '*.secret',
  '*.api_key',
  '*.secret_key',
  '*.secretKey',
  '*.verifier',
  'password',
  'token',
  'secret',
];

// Query parameters that carry a secret (the terminal's single-use WebSocket token): censored in logged URLs.
const SECRET_QUERY = /([?&](?:token|access_token|key|secret)=)[^&#]*/gi;
export const redactUrl = (url: string) => url.replace(SECRET_QUERY, '$1[redacted]');

type LoggedRequest = {
  method?: string;
  url?: string;
  version?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
};

/** Fastify's request fields, with the URL's secrets censored. */
const req = (r: LoggedRequest) => ({
  method: r.method,
  url: r.url === undefined ? undefined : redactUrl(r.url),
  version: r.version,
  host: r.host,
  remoteAddress: r.ip,
  remotePort: r.socket?.remotePort,
});

export function createLogger(opts: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: opts.name ?? 'tod',
      level: opts.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { req },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}
