import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { UserError, errorMessage } from '../../common/errors';
import type { WeightsSource } from './official';

export interface DownloadProgress {
  /** Bytes received so far from `url`; starts again from 0 when a mirror is tried. */
  readonly received: number;
  /** Bytes expected in all. */
  readonly total: number;
  /** Average since the response from `url` began. */
  readonly bytesPerSecond: number;
  /** The address being tried, as listed (not the one it redirected to, typically a long signed URL). */
  readonly url: string;
}

export interface DownloadControls {
  /** Called for every chunk received; throttle on the receiving side if redrawing is costly. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Stops the download; the promise then rejects with the signal's reason and nothing is left on disk. */
  readonly signal?: AbortSignal;
  /** An address is given up after this long without a byte, connecting included. 30 s unless given. */
  readonly stallTimeoutMs?: number;
}

/** Every address failed; `failures` holds one `url: reason` per address. */
export class DownloadFailedError extends Error {
  constructor(readonly failures: readonly string[]) {
    super(`download failed: ${failures.join('; ')}`);
    this.name = 'DownloadFailedError';
  }
}

/** What went wrong with one address; the next one is tried. */
class SourceError extends Error {}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_STALL_TIMEOUT_MS = 30_000;
const PART_SUFFIX = '.part';
/** A live download writes its temp file at least once per stall timeout, so a temp file this old was abandoned. */
const STALE_PART_MS = 60 * 60 * 1000;
const USER_AGENT = 'neural-style (weights download)';
const CLIENTS: Readonly<Record<string, typeof http | typeof https>> = { 'http:': http, 'https:': https };

/**
 * Downloads `source` to `dest` (whose folder must exist), trying its addresses in order. The bytes go to a
 * temporary file beside `dest` and are renamed into place only once their size and md5 match, so `dest` is
 * either absent, left as it was, or complete: never partial. Temp files are removed on every failure and
 * cancellation; those of a killed process are removed by the next download.
 */
export async function downloadVerified(
  dest: string,
  source: Pick<WeightsSource, 'urls' | 'size' | 'md5'>,
  controls: DownloadControls = {},
): Promise<void> {
  await removeStaleParts(dest);
  const failures: string[] = [];
  for (const url of source.urls) {
    controls.signal?.throwIfAborted();
    const temp = `${dest}.${randomBytes(6).toString('hex')}${PART_SUFFIX}`;
    try {
      await fetchInto(url, temp, source, controls);
      await onDisk('cannot move the download into place', () => fs.rename(temp, dest));
      return;
    } catch (e) {
      await fs.rm(temp, { force: true });
      controls.signal?.throwIfAborted();
      if (!(e instanceof SourceError)) throw e;
      failures.push(`${url}: ${e.message}`);
    }
  }
  throw new DownloadFailedError(failures);
}

async function fetchInto(
  url: string,
  temp: string,
  { size, md5 }: Pick<WeightsSource, 'size' | 'md5'>,
  { onProgress, signal, stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS }: DownloadControls,
): Promise<void> {
  const res = await openFollowingRedirects(new URL(url), signal, stallTimeoutMs);
  const announced = res.headers['content-length'];
  // An error page or a different file shows here, before 80 MB of it are fetched.
  if (announced !== undefined && Number(announced) !== size) {
    res.destroy();
    throw new SourceError(`the server announces ${announced} bytes, expected ${size}`);
  }
  const start = performance.now();
  const hash = createHash('md5');
  let received = 0;
  const file = await onDisk('cannot create the download file', () => fs.open(temp, 'wx'));
  try {
    for await (const chunk of body(res, () => `stopped after ${received} of ${size} bytes`)) {
      received += chunk.length;
      if (received > size) throw new SourceError(`more than the expected ${size} bytes`);
      hash.update(chunk);
      await onDisk(`cannot write ${temp}`, () => file.write(chunk));
      const seconds = (performance.now() - start) / 1000;
      onProgress?.({ received, total: size, bytesPerSecond: seconds > 0 ? received / seconds : 0, url });
    }
  } finally {
    res.destroy();
    await file.close();
  }
  if (received !== size) throw new SourceError(`the connection closed after ${received} of ${size} bytes`);
  const digest = hash.digest('hex');
  if (digest !== md5.toLowerCase()) throw new SourceError(`checksum mismatch: md5 ${digest}, expected ${md5}`);
}

/** The response body; a network error while reading it becomes a SourceError that says how far it got. */
async function* body(res: http.IncomingMessage, howFar: () => string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } catch (e) {
    throw new SourceError(`${howFar()}: ${networkReason(e)}`);
  }
}

/** GitHub release assets redirect to a signed storage URL; mirrors may redirect too. */
async function openFollowingRedirects(
  url: URL,
  signal: AbortSignal | undefined,
  stallTimeoutMs: number,
): Promise<http.IncomingMessage> {
  for (let redirects = 0; ; redirects++) {
    const res = await get(url, signal, stallTimeoutMs);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      res.destroy();
      if (redirects === MAX_REDIRECTS) throw new SourceError(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      // An https address promises an authenticated transfer: following it to plain http would drop that silently
      // and leave the md5 alone against tampering on the way.
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new SourceError(`refused a redirect from https to ${next.protocol.slice(0, -1)} (${next.origin})`);
      }
      url = next;
      continue;
    }
    if (status !== 200) {
      res.destroy();
      throw new SourceError(`HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd());
    }
    return res;
  }
}

function get(url: URL, signal: AbortSignal | undefined, stallTimeoutMs: number): Promise<http.IncomingMessage> {
  const client = CLIENTS[url.protocol];
  if (!client) return Promise.reject(new SourceError(`unsupported protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    let response: http.IncomingMessage | undefined;
    const req = client.get(url, { signal, headers: { 'user-agent': USER_AGENT } }, (res) => {
      response = res;
      resolve(res);
    });
    // The socket's idle timer covers the DNS lookup, connecting, waiting for headers and stalls in the body alike.
    req.setTimeout(stallTimeoutMs, () => {
      const stalled = new Error(`no data for ${stallTimeoutMs / 1000} s`);
      // Destroyed with this error, the body tells its reader why; destroying only the request would say "aborted".
      if (response) response.destroy(stalled);
      else req.destroy(stalled);
    });
    req.on('error', (e) => reject(new SourceError(networkReason(e))));
  });
}

/** Node's message, with the error code when it does not already show it ("aborted (ECONNRESET)"). */
function networkReason(e: unknown): string {
  const message = errorMessage(e);
  const code = (e as NodeJS.ErrnoException).code;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** A failing disk is not the server's fault and no mirror would help: it stops the download at once. */
async function onDisk<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw new UserError(`${what}: ${errorMessage(e)}`);
  }
}

/** Temp files of a download whose process was killed. */
async function removeStaleParts(dest: string): Promise<void> {
  const dir = path.dirname(dest);
  const prefix = `${path.basename(dest)}.`;
  const cutoff = Date.now() - STALE_PART_MS;
  // Housekeeping only: a folder that cannot be listed fails the download later with a clearer message, and a
  // temp file that vanished (its download just finished) or resists removal must not stop this one.
  const names = await fs.readdir(dir).catch((): string[] => []);
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith(PART_SUFFIX))) {
    const part = path.join(dir, name);
    await fs
      .stat(part)
      .then((s) => (s.mtimeMs < cutoff ? fs.rm(part, { force: true }) : undefined))
      .catch(() => undefined);
  }
}
