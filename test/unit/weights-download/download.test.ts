import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../../src/common/errors';
import type { DownloadProgress } from '../../../src/engine/weights/download';
import { resolveWeightsFile } from '../../../src/engine/weights/locate';
import { CHECKED_SUFFIX } from '../../../src/engine/weights/verified-copy';
import {
  assertNothingCached,
  cutHalfway,
  makePayload,
  makeTempDir,
  optionsFor,
  redirect,
  refusedUrl,
  selfSignedCertificate,
  serve,
  stallHalfway,
  startServer,
  trustCertificate,
  type Handler,
  type TestOptions,
  type TestServer,
} from './fixture';

describe('resolveWeightsFile: the download', () => {
  const payload = makePayload();
  const corrupt = Buffer.from(payload.bytes).fill(0, 1000, 1010);
  let server: TestServer;
  let dir: string;

  /** Serves `routes` and returns options that try the given routes, in order. */
  async function setUp(routes: Record<string, Handler>, tried: string[]): Promise<TestOptions> {
    server = await startServer(routes);
    return optionsFor(payload, dir, tried.map((r) => server.url(r)));
  }

  async function assertDownloaded(opts: TestOptions): Promise<void> {
    const file = await resolveWeightsFile(opts);
    assert.deepEqual(await fs.readFile(file), payload.bytes);
    assert.deepEqual((await fs.readdir(dir)).sort(), [path.basename(file), path.basename(file) + CHECKED_SUFFIX]);
  }

  /** The download fails with a UserError matching `reason`, and leaves nothing behind. */
  async function assertFails(opts: TestOptions, reason: RegExp): Promise<void> {
    await assert.rejects(resolveWeightsFile(opts), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match(e.message, reason);
      return true;
    });
    await assertNothingCached(opts);
  }

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('rejects bytes whose md5 differs', async () => {
    const opts = await setUp({ '/w': serve(corrupt) }, ['/w']);
    await assertFails(opts, new RegExp(`checksum mismatch: md5 [0-9a-f]{32}, expected ${payload.md5}`));
  });

  it('keeps nothing of a connection cut half-way', async () => {
    const opts = await setUp({ '/w': cutHalfway(payload.bytes) }, ['/w']);
    await assertFails(opts, new RegExp(`stopped after \\d+ of ${payload.size} bytes`));
  });

  it('gives up on a body that stalls, and on a server that never answers', async () => {
    const routes = { '/stall': stallHalfway(payload.bytes), '/silent': () => undefined };
    const opts = await setUp(routes, ['/stall', '/silent']);
    const reason = /\/stall: stopped after \d+ of \d+ bytes: no data for 0\.2 s; .*\/silent: no data for 0\.2 s/;
    await assertFails({ ...opts, stallTimeoutMs: 200 }, reason);
  });

  it('refuses a response that announces another size, before reading it', async () => {
    const opts = await setUp({ '/w': serve(payload.bytes.subarray(1)) }, ['/w']);
    await assertFails(opts, new RegExp(`the server announces ${payload.size - 1} bytes, expected ${payload.size}`));
  });

  it('falls back to the mirror when the first address answers 404', async () => {
    const opts = await setUp({ '/mirror': serve(payload.bytes) }, ['/gone', '/mirror']);
    await assertDownloaded(opts);
    assert.deepEqual(server.requests, ['/gone', '/mirror']);
  });

  it('falls back to the mirror when the first address refuses connections', async () => {
    const opts = await setUp({ '/mirror': serve(payload.bytes) }, []);
    await assertDownloaded({ ...opts, urls: [await refusedUrl(), server.url('/mirror')] });
  });

  it('falls back to the mirror when the first address serves corrupt bytes', async () => {
    const opts = await setUp({ '/bad': serve(corrupt), '/mirror': serve(payload.bytes) }, ['/bad', '/mirror']);
    await assertDownloaded(opts);
  });

  it('follows redirects, relative and absolute', async () => {
    const absolute: Handler = (req, res) => redirect(`http://${req.headers.host}/c`, 307)(req, res);
    const opts = await setUp({ '/a': redirect('/b', 301), '/b': absolute, '/c': serve(payload.bytes) }, ['/a']);
    await assertDownloaded(opts);
    assert.deepEqual(server.requests, ['/a', '/b', '/c']);
  });

  it('follows an https address only to https: a redirect to plain http is refused before it is requested', async function () {
    const certificate = selfSignedCertificate();
    if (!certificate) {
      console.log('      (skipped: openssl is needed to make a test certificate)');
      this.skip();
    }
    const untrust = trustCertificate(certificate);
    const plain = await startServer({ '/w': serve(payload.bytes) });
    try {
      const secure = await startServer({ '/a': redirect('/b'), '/b': serve(payload.bytes), '/down': redirect(plain.url('/w')) }, certificate);
      server = secure;
      await assertDownloaded(optionsFor(payload, dir, [secure.url('/a')]));
      await fs.rm(path.join(dir, 'weights.h5'));
      await fs.rm(path.join(dir, `weights.h5${CHECKED_SUFFIX}`));
      const origin = plain.url('').replace(/\/$/, '');
      const reason = `${secure.url('/down')}: refused a redirect from https to http (${origin})`;
      await assertFails(optionsFor(payload, dir, [secure.url('/down')]), new RegExp(reason.replace(/[.()/]/g, '\\$&')));
      assert.deepEqual(secure.requests, ['/a', '/b', '/down']);
      assert.deepEqual(plain.requests, []);
    } finally {
      untrust();
      await plain.close();
    }
  });

  it('stops after 5 redirects', async () => {
    const opts = await setUp({ '/loop': redirect('/loop') }, ['/loop']);
    await assertFails(opts, /more than 5 redirects/);
    assert.equal(server.requests.length, 6);
  });

  it('reports progress with a growing count, the right total and the address', async () => {
    const opts = await setUp({ '/w': serve(payload.bytes) }, ['/w']);
    const seen: DownloadProgress[] = [];
    await resolveWeightsFile({ ...opts, onProgress: (p) => seen.push(p) });
    assert.ok(seen.length > 1, `${seen.length} progress reports`);
    seen.forEach((p, i) => {
      assert.equal(p.total, payload.size);
      assert.equal(p.url, server.url('/w'));
      assert.ok(p.bytesPerSecond >= 0 && Number.isFinite(p.bytesPerSecond));
      if (i > 0) assert.ok(p.received > seen[i - 1].received);
    });
    assert.equal(seen[seen.length - 1].received, payload.size);
  });

  it('cancelled half-way, rejects with the abort reason and keeps nothing', async () => {
    const opts = await setUp({ '/w': stallHalfway(payload.bytes) }, ['/w']);
    const controller = new AbortController();
    const onProgress = (p: DownloadProgress) => {
      if (p.received >= payload.size / 2) controller.abort();
    };
    const download = resolveWeightsFile({ ...opts, onProgress, signal: controller.signal });
    await assert.rejects(download, { name: 'AbortError' });
    await assertNothingCached(opts);
  });

  it('cancelled before it starts, sends no request', async () => {
    const opts = await setUp({ '/w': serve(payload.bytes) }, ['/w']);
    await assert.rejects(resolveWeightsFile({ ...opts, signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(server.requests, []);
    await assertNothingCached(opts);
  });

  it('removes temp files abandoned by a killed download, but not those of a live one', async () => {
    const opts = await setUp({ '/w': serve(payload.bytes) }, ['/w']);
    const abandoned = path.join(dir, 'weights.h5.0123456789ab.part');
    const live = path.join(dir, 'weights.h5.ba9876543210.part');
    await fs.writeFile(abandoned, 'old');
    await fs.writeFile(live, 'new');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(abandoned, twoHoursAgo, twoHoursAgo);
    await resolveWeightsFile(opts);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['weights.h5', path.basename(live), `weights.h5${CHECKED_SUFFIX}`]);
  });
});
