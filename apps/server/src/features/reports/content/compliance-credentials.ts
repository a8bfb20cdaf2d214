// Default and weak credentials, judged on the login TOD itself uses for a device (the stored credentials, opened
// for this check only). The report names the finding, never the password.

const WELL_KNOWN = new Set(['admin', 'password', 'mikrotik', '1234', '12345', '123456', '12345678', 'changeme']);
const MIN_LENGTH = 8;

export function credentialFinding(c: { username: string; password: string }): string | null {
  if (c.password === '')
    return c.username === 'admin' ? 'default credentials (admin, empty password)' : 'empty password';
  if (c.password.toLowerCase() === c.username.toLowerCase()) return 'password is the user name';
  if (WELL_KNOWN.has(c.password.toLowerCase())) return 'a well-known password';
  if (c.password.length < MIN_LENGTH) return `short password (under ${MIN_LENGTH} characters)`;
  return null;
}
