// Values that must never protect a staging or production install: the product description's dev defaults,
// the .env.example placeholders, and the obvious ones people paste.
const KNOWN_INSECURE = new Set([
  'change-me',
  'changeme',
  'change-me-in-production',
  'dev-secret',
  'secret',
  'insecure-dev-key',
  'dev-only-insecure-jwt-secret-change-me-please',
  'ZGV2LW9ubHktaW5zZWN1cmUta2V5LTMyLWJ5dGVzISE=',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'dev-only-token',
  'root',
  'myroot',
]);

export function isInsecureSecret(value: string | undefined): boolean {
  if (!value) return true;
  if (KNOWN_INSECURE.has(value)) return true;
  if (/change.?me|insecure|example|placeholder/i.test(value)) return true;
  // One repeated character (e.g. "aaaa…" or 32 zero bytes) is not a secret.
  return new Set(value.replace(/=+$/, '')).size <= 2;
}
