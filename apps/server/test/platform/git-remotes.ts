import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';

// Real git servers for the push tests: HTTPS in front of `git http-backend` (Basic auth, TLS with the simulator's
// self-signed certificate for 127.0.0.1) and SSH in front of `git receive-pack` (public-key auth, ssh2's server). Both serve bare repositories
// under a folder, as a Git host would.

const serverEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  ...extra,
});

export async function httpsGitServer(o: { root: string; cert: Buffer; key: Buffer; authorization: string }) {
  const requests: Array<{ path: string; authorization: string | undefined }> = [];
  const server = https.createServer({ cert: o.cert, key: o.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push({ path: url.pathname, authorization: req.headers.authorization });
    if (url.pathname.startsWith('/moved/')) {
      res.writeHead(301, { location: `${url.pathname.slice('/moved'.length)}${url.search}` }).end();
      return;
    }
    if (req.headers.authorization !== o.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: serverEnv({
        GIT_PROJECT_ROOT: o.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'tod',
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      }),
    });
    req.pipe(cgi.stdin);
    // CGI answer: header lines up to an empty line, then the body.
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      started = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const i = line.indexOf(':');
        const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (k.toLowerCase() === 'status') status = Number.parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** ssh-keygen's ed25519 key pair: OpenSSH private key text and the public key line. */
export function sshKeyPair(dir: string, name: string) {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file], { stdio: 'ignore' });
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8') };
}

export async function sshGitServer(o: { hostKey: string; clientPublicKey: string }) {
  const allowed = ssh2.utils.parseKey(o.clientPublicKey);
  if (allowed instanceof Error) throw allowed;
  const server = new ssh2.Server({ hostKeys: [o.hostKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'publickey' &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowed.getPublicSSH()) &&
        (!ctx.signature || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true)
      )
        return ctx.accept();
      ctx.reject(['publickey']);
    });
    client.on('ready', () =>
      client.on('session', (accept) =>
        accept().on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const m = /^git-receive-pack '([^']+)'$/.exec(info.command);
          if (!m) {
            stream.exit(1);
            stream.end();
            return;
          }
          const git = spawn('git', ['receive-pack', m[1]!], { env: serverEnv() });
          stream.pipe(git.stdin);
          git.stdout.pipe(stream, { end: false });
          git.stderr.pipe(stream.stderr, { end: false });
          git.on('close', (code) => {
            stream.exit(code ?? 1);
            stream.end();
          });
        }),
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
