import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { localOutputFs } from '../../../src/output/local-fs';
import { TargetExistsError, freePath, writeOutput, type WriteMode } from '../../../src/output/write';
import { removeDir, tempDir } from '../image/images';

/** An output written on the local disk, as the CLI writes it. */
function writeImageFile(file: string, bytes: Uint8Array, opts: { overwrite?: boolean; mode?: WriteMode } = {}): Promise<string> {
  return writeOutput(localOutputFs, path.resolve(file), bytes, opts.mode ?? (opts.overwrite ? 'overwrite' : 'exact'));
}

describe('writing an output on the local disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => removeDir(dir));

  /** The folder holds exactly these names: no temporary file was left behind. */
  async function assertOnly(...names: string[]): Promise<void> {
    assert.deepEqual((await fs.readdir(dir)).sort(), names.sort());
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
    await assert.rejects(writeImageFile(file, Buffer.from('new')), (e) => e instanceof TargetExistsError && e.target === file);
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

  it('gives each of several simultaneous writers of a default name its own file', async () => {
    const file = path.join(dir, 'race.png');
    const written = await Promise.all(Array.from({ length: 8 }, (_, i) => writeImageFile(file, Buffer.from(`w${i}`), { mode: 'next-free' })));
    assert.equal(new Set(written).size, 8);
    const contents = await Promise.all(written.map((f) => fs.readFile(f, 'utf8')));
    assert.deepEqual(contents.sort(), Array.from({ length: 8 }, (_, i) => `w${i}`).sort());
    await assertOnly('race.png', ...Array.from({ length: 7 }, (_, i) => `race-${i + 1}.png`));
  });

  it('leaves nothing behind when it cannot write', async () => {
    const sub = path.join(dir, 'taken');
    await fs.mkdir(sub);
    const intoFolder = writeImageFile(sub, Buffer.from('x'), { overwrite: true });
    await assert.rejects(intoFolder, /EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    await assertOnly('taken');
  });

  it('writes a name as long as a file system takes, through a temporary file of its own length', async () => {
    const file = path.join(dir, `${'n'.repeat(251)}.png`);
    assert.equal(await writeImageFile(file, Buffer.from('long')), file);
    assert.equal(await fs.readFile(file, 'utf8'), 'long');
    await assertOnly(path.basename(file));
  });

  it('removes only its own temporary files, and only those abandoned an hour ago', async () => {
    const names = {
      abandoned: '.neural-style-0123456789abcdef.tmp',
      live: '.neural-style-fedcba9876543210.tmp',
      notes: '.my-notes.txt.0123456789ab.tmp',
      similar: '.neural-style-notes.tmp',
    };
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const [what, name] of Object.entries(names)) {
      await fs.writeFile(path.join(dir, name), what);
      if (what !== 'live') await fs.utimes(path.join(dir, name), twoHoursAgo, twoHoursAgo);
    }
    await writeImageFile(path.join(dir, 'out.png'), Buffer.from('x'));
    await assertOnly('out.png', names.live, names.notes, names.similar);
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
      await assert.rejects(writeImageFile(file, Buffer.from('two')), TargetExistsError);
      assert.equal(await fs.readFile(file, 'utf8'), 'one');
      await assertOnly('fat.png');
    });
  });
});

describe('free names on the local disk', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => removeDir(dir));

  it('keeps a free name and numbers a taken one: a.png, a-1.png, a-2.png', async () => {
    const a = path.join(dir, 'a.png');
    assert.equal(await freePath(localOutputFs, a), a);
    await fs.writeFile(a, '');
    assert.equal(await freePath(localOutputFs, a), path.join(dir, 'a-1.png'));
    await fs.writeFile(path.join(dir, 'a-1.png'), '');
    assert.equal(await freePath(localOutputFs, a), path.join(dir, 'a-2.png'));
  });
});
