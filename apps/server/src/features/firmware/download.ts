import { AppError } from '../../platform/http/errors.js';
import { type NpkHeader, NpkInvalid, readNpkHeader } from './npk.js';
import { archFamily, packageFileName } from './packages.js';
import { majorOf } from './versions.js';

// Fetching RouterOS packages from MikroTik's download server (FIRMWARE_DOWNLOAD_URL) into TOD's cache, for routers
// that cannot reach it themselves. The server lays files out as `<base>/<version>/<file>` with MikroTik's file names
// (packages.ts). What comes back is read whole into memory up to a bound, checked as a package and compared with what
// was asked for before anything is kept; a server that sends too much, too slowly or the wrong file is refused.

export type DownloadOptions = {
  baseUrl: string;
  maxBytes: number;
  timeoutMs: number;
};

export type Wanted = { name: string; version: string; architecture: string };

/** RouterOS's main package for a version: `routeros` on 7, the bundle `routeros-<arch>` on 6. */
export function mainPackageName(version: string, architecture: string): string {
  return (majorOf(version) ?? 7) >= 7 ? 'routeros' : `routeros-${archFamily(architecture)}`;
}

export function packageUrl(baseUrl: string, w: Wanted): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(w.version)}/${encodeURIComponent(packageFileName(w.name, w.version, w.architecture))}`;
}

const failed = (detail: string) => new AppError('firmware_download_failed', detail);

/** Downloads one package and checks it is the one asked for; throws `firmware_download_failed` or NpkInvalid. */
export async function downloadPackage(o: DownloadOptions, w: Wanted): Promise<Buffer> {
  const url = packageUrl(o.baseUrl, w);
  const file = packageFileName(w.name, w.version, w.architecture);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? 'it did not answer in time' : 'it could not be reached';
    throw failed(`${file}: the download server failed (${why})`);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw failed(`${file}: the download server has no such file (is ${w.version} released for ${w.architecture}?)`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw failed(`${file}: the download server answered HTTP ${res.status}`);
  }
  const bytes = await readBounded(res, o, file);
  let header: NpkHeader;
  try {
    header = readNpkHeader(bytes);
  } catch (e) {
    if (e instanceof NpkInvalid) throw new NpkInvalid(`${file} from the download server: ${e.message}`);
    throw e;
  }
  const arch = header.architecture ? archFamily(header.architecture) : archFamily(w.architecture);
  if (header.name !== w.name || header.version !== w.version || arch !== archFamily(w.architecture))
    throw new NpkInvalid(
      `${file} from the download server is ${header.name} ${header.version} for ${arch}, not what was asked for`,
    );
  return bytes;
}

/** The body, refusing one larger than `maxBytes` (by its length header or as it arrives) or one that stops short. */
async function readBounded(res: Response, o: DownloadOptions, file: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > o.maxBytes) {
    await res.body?.cancel();
    throw failed(`${file}: the download server offers ${declared} bytes, more than ${o.maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) throw failed(`${file}: the download server sent no body`);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > o.maxBytes) {
        await reader.cancel();
        throw failed(`${file}: the download server sent more than ${o.maxBytes} bytes`);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const why = (e as Error).name === 'TimeoutError' ? 'it stalled' : 'the transfer broke off';
    throw failed(`${file}: the download did not finish (${why})`);
  }
  if (Number.isFinite(declared) && total !== declared)
    throw failed(`${file}: the download ended after ${total} of ${declared} bytes`);
  return Buffer.concat(chunks, total);
}
