import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as http from 'http';
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

/** An HTTP server on 127.0.0.1 answering each path with its handler, and 404 elsewhere. */
export async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const handler = routes[req.url ?? ''] ?? status(404);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (route) => `http://127.0.0.1:${port}${route}`,
    requests,
    close: () => {
      // Handlers that stall keep their connections open; close() alone would wait for them.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
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
