import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { archFamily } from './firmware.js';
import { buildNpk } from './npk.js';

// MikroTik's download server (download.mikrotik.com/routeros) on loopback: `/<version>/<file>` for the versions it
// publishes, with MikroTik's file names — v7 `routeros-7.16.2-arm64.npk` (x86 without the suffix) and extras such as
// `wifi-qcom-7.16.2-arm64.npk`; v6 only the bundle `routeros-mipsbe-6.49.17.npk` (its extras come as a zip, not
// served). Anything else is 404. Faults make it fail the way a real server or link does.

const ARCHS = new Set(['arm', 'arm64', 'mipsbe', 'mmips', 'smips', 'tile', 'ppc', 'x86']);
const V7_FILE = /^([a-z][a-z0-9-]*?)-(7\.[0-9]+(?:\.[0-9]+)?(?:(?:alpha|beta|rc)[0-9]+)?)(?:-([a-z0-9]+))?\.npk$/;
const V6_FILE = /^routeros-([a-z0-9]+)-(6\.[0-9]+(?:\.[0-9]+)?(?:(?:beta|rc)[0-9]+)?)\.npk$/;
const V7_EXTRAS = new Set(['wireless', 'wifi-qcom', 'wifi-qcom-ac', 'container', 'iot', 'lora', 'zerotier', 'gps']);

export interface DownloadServerFaults {
  /** Answer every request with this HTTP status and no package. */
  status?: number;
  /** Send the headers and this many bytes of the file, then close the connection. */
  cutAfterBytes?: number;
  /** Send the file of this version instead of the one asked for (a mirror with a wrong file). */
  wrongVersion?: string;
  /** Send `Content-Length` but never the body (a server that stalls). */
  stall?: boolean;
}

export interface DownloadServer {
  /** The base URL, e.g. `http://127.0.0.1:40123/routeros` (what FIRMWARE_DOWNLOAD_URL names). */
  url: string;
  /** Versions published; change at run time to publish more. */
  versions: Set<string>;
  faults: DownloadServerFaults;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** What a file name asks for, or undefined when MikroTik has no file of that name. */
export function parsePackageFile(file: string): { npkName: string; version: string; npkArch: string } | undefined {
  const v6 = V6_FILE.exec(file);
  if (v6) {
    const arch = v6[1] as string;
    if (!ARCHS.has(arch)) return undefined;
    return { npkName: `routeros-${arch}`, version: v6[2] as string, npkArch: arch === 'mipsbe' ? 'mips' : arch };
  }
  const v7 = V7_FILE.exec(file);
  if (!v7) return undefined;
  const [, name = '', version = '', suffix] = v7;
  const arch = suffix ?? 'x86';
  if (!ARCHS.has(arch) || (name !== 'routeros' && !V7_EXTRAS.has(name))) return undefined;
  return { npkName: name, version, npkArch: archFamily(arch) };
}

export async function startDownloadServer(
  o: { versions?: Iterable<string>; packageBytes?: number; host?: string } = {},
): Promise<DownloadServer> {
  const s: Omit<DownloadServer, 'url' | 'close'> = {
    versions: new Set(o.versions ?? ['6.49.17', '7.16.2']),
    faults: {},
    requests: [],
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    s.requests.push(path);
    if (s.faults.status) {
      res.writeHead(s.faults.status).end();
      return;
    }
    const m = /^\/routeros\/([^/]+)\/([^/]+)$/.exec(path);
    const want = m ? parsePackageFile(decodeURIComponent(m[2] as string)) : undefined;
    if (req.method !== 'GET' || !m || !want || want.version !== m[1] || !s.versions.has(want.version)) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
      return;
    }
    const body = buildNpk({
      name: want.npkName,
      version: s.faults.wrongVersion ?? want.version,
      architecture: want.npkArch,
      size: o.packageBytes ?? 256 * 1024,
    });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    if (s.faults.stall) return; // headers only; the client's timeout ends it
    if (s.faults.cutAfterBytes !== undefined) {
      res.write(body.subarray(0, s.faults.cutAfterBytes), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, o.host ?? '127.0.0.1', resolve));
  const { port, address } = server.address() as AddressInfo;
  return Object.assign(s, {
    url: `http://${address}:${port}/routeros`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
