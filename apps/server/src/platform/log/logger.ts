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

export function createLogger(opts: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: opts.name ?? 'tod',
      level: opts.level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination,
  );
}
