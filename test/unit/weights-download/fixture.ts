import { execFileSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import { promises as fs, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as assert from 'node:assert/strict';
import { localWeightsFile, type WeightsOptions } from '../../../src/engine/weights/locate';

/** A stand-in for the official file: random bytes with their real size and md5. */
export interface Payload {
  readonly bytes: Buffer;
  readonly size: number;
  readonly md5: string;
}

export function makePayload(size = 300 * 1024): Payload {
  const bytes = randomBytes(size);
  return { bytes, size, md5: createHash('md5').update(bytes).digest('hex') };
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  url(route: string): string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

/**
 * An HTTP server on 127.0.0.1 answering each path with its handler, and 404 elsewhere; HTTPS with `tls`, whose
 * certificate the client must be told to trust (see trustCertificate).
 */
export async function startServer(routes: Record<string, Handler>, tls?: Certificate): Promise<TestServer> {
  const requests: string[] = [];
  const respond = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(req.url ?? '');
    const handler = routes[req.url ?? ''] ?? status(404);
    handler(req, res);
  };
  const server = tls ? https.createServer(tls, respond) : http.createServer(respond);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (route) => `${tls ? 'https' : 'http'}://127.0.0.1:${port}${route}`,
    requests,
    close: () => {
      // Handlers that stall keep their connections open; close() alone would wait for them.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A certificate for 127.0.0.1 made by openssl, valid for a day; undefined where openssl is not installed. */
export function selfSignedCertificate(): Certificate | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'neural-style-tls-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes the download's HTTPS requests (through the global agent) trust `cert`; returns how to undo it. */
export function trustCertificate({ cert }: Certificate): () => void {
  const options = https.globalAgent.options;
  const before = options.ca;
  options.ca = cert;
  return () => {
    options.ca = before;
  };
}

export const serve =
  (bytes: Buffer): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-length': bytes.length });
    res.end(bytes);
  };

/** Announces all of `bytes`, sends half, then cuts the connection. */
export const cutHalfway =
  (bytes: Buffer): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, bytes.length / 2), () => res.socket?.destroy());
  };

/** Announces all of `bytes`, sends half, then nothing while the connection stays open. */
export const stallHalfway =
  (bytes: Buffer): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, bytes.length / 2));
  };

const status =
  (code: number): Handler =>
  (_req, res) => {
    res.writeHead(code);
    res.end();
  };

export const redirect =
  (location: string, code = 302): Handler =>
  (_req, res) => {
    res.writeHead(code, { location });
    res.end();
  };

/** An address on which nothing listens: the port of a server that was just closed. */
export async function refusedUrl(): Promise<string> {
  const server = await startServer({});
  const url = server.url('/weights.h5');
  await server.close();
  return url;
}

export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-weights-'));
}

export type TestOptions = WeightsOptions & { readonly cacheDir: string };

/** Options isolated from this machine: a private cache, no environment, the payload's size and md5. */
export function optionsFor(payload: Payload, cacheDir: string, urls: string[]): TestOptions {
  return { cacheDir, env: {}, urls, size: payload.size, md5: payload.md5, fileName: 'weights.h5' };
}

/** The cache holds nothing at all: no file a later run would trust, and no temp file either. */
export async function assertNothingCached(opts: TestOptions): Promise<void> {
  assert.deepEqual(await fs.readdir(opts.cacheDir), []);
  assert.equal(await localWeightsFile(opts), undefined);
}
