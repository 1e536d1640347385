import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../../src/engine/errors';
import { freeName, writeImageFile } from '../../../src/image/files';
import { removeDir, tempDir } from './images';

describe('writeImageFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => removeDir(dir));

  /** The folder holds exactly these names: no temporary file was left behind. */
  async function assertOnly(...names: string[]): Promise<void> {
    assert.deepEqual((await fs.readdir(dir)).sort(), names.sort());
  }

  function isOneLineUserError(...parts: string[]): (e: unknown) => boolean {
    return (e) => {
      assert.ok(e instanceof UserError && !e.message.includes('\n'), String(e));
      for (const part of parts) assert.ok(e.message.includes(part), `"${e.message}" lacks "${part}"`);
      return true;
    };
  }

  it('writes the bytes and returns the absolute path', async () => {
    const file = path.join(dir, 'out.png');
    assert.equal(await writeImageFile(path.relative(process.cwd(), file), Buffer.from('pixels')), file);
    assert.equal(await fs.readFile(file, 'utf8'), 'pixels');
    await assertOnly('out.png');
  });

  it('never replaces an existing file unless asked to', async () => {
    const file = path.join(dir, 'out.png');
    await fs.writeFile(file, 'old');
    await assert.rejects(writeImageFile(file, Buffer.from('new')), isOneLineUserError(file, 'exists', '--overwrite'));
    assert.equal(await fs.readFile(file, 'utf8'), 'old');
    await assertOnly('out.png');

    await writeImageFile(file, Buffer.from('new'), { overwrite: true });
    assert.equal(await fs.readFile(file, 'utf8'), 'new');
    await assertOnly('out.png');
  });

  it('lets exactly one of several simultaneous writers have a name', async () => {
    const file = path.join(dir, 'race.png');
    const writers = Array.from({ length: 8 }, (_, i) => writeImageFile(file, Buffer.from(`w${i}`)));
    const results = await Promise.allSettled(writers);
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    assert.equal(winners.length, 1);
    assert.equal(await fs.readFile(file, 'utf8'), `w${winners[0]}`);
    await assertOnly('race.png');
  });

  it('leaves nothing behind when it cannot write', async () => {
    const sub = path.join(dir, 'taken');
    await fs.mkdir(sub);
    const intoFolder = writeImageFile(sub, Buffer.from('x'), { overwrite: true });
    await assert.rejects(intoFolder, isOneLineUserError('cannot write', sub));
    await assertOnly('taken');
    const missing = path.join(dir, 'no-such-folder', 'out.png');
    await assert.rejects(writeImageFile(missing, Buffer.from('x')), isOneLineUserError('cannot write', missing));
    await assertOnly('taken');
  });

  describe('on a file system without hard links', () => {
    const link = fs.link;
    beforeEach(() => {
      fs.link = () => Promise.reject(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    });
    afterEach(() => {
      fs.link = link;
    });

    it('still writes a new file, still refuses an existing one, and leaves no temporary file', async () => {
      const file = path.join(dir, 'fat.png');
      await writeImageFile(file, Buffer.from('one'));
      assert.equal(await fs.readFile(file, 'utf8'), 'one');
      await assert.rejects(writeImageFile(file, Buffer.from('two')), isOneLineUserError('exists'));
      assert.equal(await fs.readFile(file, 'utf8'), 'one');
      await assertOnly('fat.png');
    });
  });
});

describe('freeName', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => removeDir(dir));

  it('keeps a free name and numbers a taken one: a.png, a-1.png, a-2.png', async () => {
    const a = path.join(dir, 'a.png');
    assert.equal(await freeName(a), a);
    await fs.writeFile(a, '');
    assert.equal(await freeName(a), path.join(dir, 'a-1.png'));
    await fs.writeFile(path.join(dir, 'a-1.png'), '');
    assert.equal(await freeName(a), path.join(dir, 'a-2.png'));
  });
});
