import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../../src/common/errors';
import { localWeightsFile, resolveWeightsFile } from '../../../src/engine/weights/locate';
import { CHECKED_SUFFIX, rememberVerified } from '../../../src/engine/weights/verified-copy';
import {
  assertNothingCached,
  makePayload,
  makeTempDir,
  optionsFor,
  refusedUrl,
  serve,
  startServer,
  type TestServer,
} from './fixture';

describe('resolveWeightsFile: where the weights come from', () => {
  const payload = makePayload();
  let server: TestServer;
  let dir: string;

  beforeEach(async () => {
    server = await startServer({ '/weights.h5': serve(payload.bytes) });
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('downloads into the cache once, then serves the cached file without a request', async () => {
    const opts = optionsFor(payload, path.join(dir, 'cache'), [server.url('/weights.h5')]);
    assert.equal(await localWeightsFile(opts), undefined);
    const file = await resolveWeightsFile(opts);
    assert.equal(file, path.join(dir, 'cache', 'weights.h5'));
    assert.deepEqual(await fs.readFile(file), payload.bytes);
    assert.deepEqual((await fs.readdir(path.join(dir, 'cache'))).sort(), ['weights.h5', `weights.h5${CHECKED_SUFFIX}`]);
    assert.equal(await localWeightsFile(opts), file);
    assert.equal(await resolveWeightsFile(opts), file);
    assert.equal(server.requests.length, 1);
  });

  it('replaces a cached file of the wrong size with a fresh download', async () => {
    const opts = optionsFor(payload, dir, [server.url('/weights.h5')]);
    await fs.writeFile(path.join(dir, 'weights.h5'), payload.bytes.subarray(0, 1000));
    assert.equal(await localWeightsFile(opts), undefined);
    assert.deepEqual(await fs.readFile(await resolveWeightsFile(opts)), payload.bytes);
    assert.equal(server.requests.length, 1);
  });

  it('does not trust a planted file of the right size: it is hashed, and replaced by a download', async () => {
    const opts = optionsFor(payload, dir, [server.url('/weights.h5')]);
    const cached = path.join(dir, 'weights.h5');
    await fs.writeFile(cached, Buffer.alloc(payload.size, 7));
    assert.equal(await localWeightsFile(opts), undefined);
    assert.deepEqual(await fs.readdir(dir), ['weights.h5'], 'no note that it was checked');
    assert.deepEqual(await fs.readFile(await resolveWeightsFile(opts)), payload.bytes);
    assert.equal(server.requests.length, 1);
  });

  it('hashes a cached copy once, then trusts the note beside it, until the file is changed', async () => {
    const opts = optionsFor(payload, dir, [server.url('/weights.h5')]);
    const cached = path.join(dir, 'weights.h5');
    await fs.writeFile(cached, payload.bytes);
    assert.equal(await localWeightsFile(opts), cached);
    assert.match(await fs.readFile(cached + CHECKED_SUFFIX, 'utf8'), new RegExp(`^md5 ${payload.md5} size ${payload.size} mtime \\d+`));

    // A note for the file as it is is all that is looked at: bytes that are wrong but noted pass unhashed.
    const planted = Buffer.alloc(payload.size, 7);
    await fs.writeFile(cached, planted);
    await rememberVerified(cached, payload.md5);
    assert.equal(await localWeightsFile(opts), cached);

    // Rewritten in place to the same size and mtime, the file no longer matches its note and is hashed again.
    // File times tick coarsely (a few ms on Linux): the wait makes sure the rewrite's ctime differs.
    const { mtime } = await fs.stat(cached);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fs.writeFile(cached, Buffer.alloc(payload.size, 8));
    await fs.utimes(cached, mtime, mtime);
    assert.equal(await localWeightsFile(opts), undefined);
    assert.deepEqual(server.requests, []);
  });

  it('uses NEURAL_STYLE_CACHE when no cacheDir option is given', async () => {
    const opts = { ...optionsFor(payload, dir, [server.url('/weights.h5')]), cacheDir: undefined };
    const file = await resolveWeightsFile({ ...opts, env: { NEURAL_STYLE_CACHE: dir } });
    assert.equal(file, path.join(dir, 'weights.h5'));
  });

  it('uses an explicit file as is, without looking at the cache or the network', async () => {
    const mine = path.join(dir, 'partial.h5');
    await fs.writeFile(mine, 'fewer layers');
    const opts = { ...optionsFor(payload, path.join(dir, 'cache'), [server.url('/weights.h5')]), path: mine };
    assert.equal(await localWeightsFile(opts), mine);
    assert.equal(await resolveWeightsFile(opts), mine);
    assert.equal(await resolveWeightsFile({ ...opts, path: undefined, env: { NEURAL_STYLE_WEIGHTS: mine } }), mine);
    assert.deepEqual(server.requests, []);
  });

  it('prefers the path option over NEURAL_STYLE_WEIGHTS', async () => {
    const mine = path.join(dir, 'mine.h5');
    await fs.writeFile(mine, 'x');
    const opts = optionsFor(payload, dir, [server.url('/weights.h5')]);
    const env = { NEURAL_STYLE_WEIGHTS: path.join(dir, 'absent.h5') };
    assert.equal(await resolveWeightsFile({ ...opts, env, path: mine }), mine);
  });

  it('rejects a missing explicit file with a UserError naming it (and the variable it came from)', async () => {
    const missing = path.join(dir, 'nope.h5');
    const opts = optionsFor(payload, dir, [server.url('/weights.h5')]);
    await assert.rejects(resolveWeightsFile({ ...opts, path: missing }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `weights file not found: ${missing}`);
      return true;
    });
    await assert.rejects(localWeightsFile({ ...opts, env: { NEURAL_STYLE_WEIGHTS: missing } }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `weights file not found: ${missing} (from NEURAL_STYLE_WEIGHTS)`);
      return true;
    });
    await assert.rejects(resolveWeightsFile({ ...opts, path: dir }), /weights file is not a file/);
    assert.deepEqual(server.requests, []);
  });

  it('offline, names every address and why it failed, and how to use a local file, on one line', async () => {
    const refused = await refusedUrl();
    const unresolvable = 'http://weights.invalid/weights.h5';
    const opts = { ...optionsFor(payload, dir, [refused, unresolvable]), stallTimeoutMs: 5000 };
    await assert.rejects(resolveWeightsFile(opts), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.ok(e.message.includes(`${refused}: connect ECONNREFUSED`), e.message);
      assert.ok(e.message.includes(`${unresolvable}: `), e.message);
      for (const hint of ['--weights PATH', 'NEURAL_STYLE_WEIGHTS', 'neuralStyle.weightsPath', dir]) {
        assert.ok(e.message.includes(hint), `${hint} missing from: ${e.message}`);
      }
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    await assertNothingCached(opts);
  });

  it('says which cache folder cannot be created and how to choose another', async () => {
    const blocker = path.join(dir, 'a-file');
    await fs.writeFile(blocker, '');
    const opts = optionsFor(payload, path.join(blocker, 'cache'), [server.url('/weights.h5')]);
    await assert.rejects(resolveWeightsFile(opts), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /cannot create the weights cache folder .*a-file.*NEURAL_STYLE_CACHE/);
      return true;
    });
    assert.deepEqual(server.requests, []);
  });
});
