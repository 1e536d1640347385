import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../../src/common/errors';
import { formatOfName } from '../../../src/common/formats';
import { NAME_MAX_BYTES, namePatternProblem, outputFileName, outputFolder } from '../../../src/output/name';
import { TargetExistsError, freePath, writeOutput, type OutputFs } from '../../../src/output/write';

const PATTERN = '${name}.${style}.stylized.${ext}';

describe('output names', () => {
  it('default: <name>.<style>.stylized.png', () => {
    assert.equal(outputFileName(PATTERN, 'dog.jpg', ['starry_night.jpg'], 'png'), 'dog.starry_night.stylized.png');
  });

  it('the extension follows the format, and several styles are joined', () => {
    assert.equal(outputFileName(PATTERN, 'a.b.PNG', ['x.webp', 'y.tif'], 'jpeg'), 'a.b.x+y.stylized.jpg');
    assert.equal(outputFileName('${name}-art.${ext}', 'dog.png', ['s.png'], 'webp'), 'dog-art.webp');
  });

  it('goes beside the content, in a folder inside it, or in an absolute folder', () => {
    assert.equal(outputFolder('/w/photos/dog.jpg', ''), '/w/photos');
    assert.equal(outputFolder('/w/photos/dog.jpg', 'stylized'), '/w/photos/stylized');
    assert.equal(outputFolder('/w/photos/dog.jpg', '../out'), '/w/out');
    assert.equal(outputFolder('/w/photos/dog.jpg', '/tmp/results'), '/tmp/results');
    assert.equal(outputFolder('/c:/w/dog.jpg', 'D:\\results'), '/D:/results');
  });

  it('a name that is taken gets -1, -2, ...', async () => {
    const taken = new Set(['/w/a.png', '/w/a-1.png']);
    const fs = { paths: path.posix, exists: async (p: string) => taken.has(p) };
    assert.equal(await freePath(fs, '/w/a.png'), '/w/a-2.png');
    assert.equal(await freePath(fs, '/w/b.png'), '/w/b.png');
  });

  it('never leaves the folder: patterns and names that expand to "." or ".." are refused', () => {
    assert.match(namePatternProblem('..') ?? '', /must be a file name/);
    assert.match(namePatternProblem('../${name}.${ext}') ?? '', /without folders/);
    assert.throws(() => outputFileName('${name}', '...png', ['s.png'], 'png'), (e) => e instanceof UserError && /gives "\.\."/.test(e.message));
    assert.equal(outputFileName('${name}', '...x.png', ['s.png'], 'png'), '...x');
  });

  describe('too long for a file system', () => {
    const bytes = (s: string) => Buffer.byteLength(s);
    /** Fits with room for a -99999 a taken name may get. */
    const fits = (name: string) => assert.ok(bytes(name.replace(/(\.[a-z]+)$/, '-99999$1')) <= NAME_MAX_BYTES, `${bytes(name)} bytes: ${name}`);

    it('a long content name is cut at its end, marked ~, keeping the style and the .stylized.png end', () => {
      const name = outputFileName(PATTERN, `/w/${'c'.repeat(240)}.jpg`, ['/w/kandinsky.jpg'], 'png');
      fits(name);
      assert.match(name, /^c+~\.kandinsky\.stylized\.png$/);
    });

    it('many styles are cut, keeping the content name', () => {
      const styles = Array.from({ length: 30 }, (_, i) => `/w/style-number-${i}.jpg`);
      const name = outputFileName(PATTERN, '/w/dog.jpg', styles, 'webp');
      fits(name);
      assert.match(name, /^dog\.style-number-0\+style-number-1\+.*~\.stylized\.webp$/);
    });

    it('both long: the longer loses characters first, so that both keep some', () => {
      const name = outputFileName(PATTERN, `${'c'.repeat(200)}.jpg`, [`${'s'.repeat(200)}.jpg`], 'png');
      fits(name);
      const [content, style] = name.split('.');
      assert.ok(Math.abs(content.length - style.length) <= 1, name);
    });

    it('never cuts inside a character, even one of several code points', () => {
      const family = '👨‍👩‍👧';
      const name = outputFileName(PATTERN, `${family.repeat(30)}.png`, [`${'é'.repeat(100)}.png`], 'png');
      fits(name);
      const [content, style] = name.split('.');
      assert.match(content, new RegExp(`^(${family})+~$`, 'u'));
      assert.match(style, /^é+~$/);
    });

    it('a name that fits is kept whole', () => {
      const content = `${'c'.repeat(200)}.jpg`;
      assert.equal(outputFileName(PATTERN, content, ['s.jpg'], 'png'), `${'c'.repeat(200)}.s.stylized.png`);
    });

    it('a pattern whose own text is too long is refused, as a setting and when used', () => {
      const long = `${'x'.repeat(250)}-\${name}.\${ext}`;
      assert.match(namePatternProblem(long) ?? '', /must give names of at most 249 bytes/);
      assert.equal(namePatternProblem(`${'x'.repeat(200)}-\${name}.\${ext}`), undefined);
      assert.throws(() => outputFileName(long, 'dog.jpg', ['s.jpg'], 'png'), (e) => e instanceof UserError && /at most 249 bytes/.test(e.message));
    });
  });

  it('a name\'s extension gives its format, in any letter case', () => {
    assert.equal(formatOfName('a/out.JPG'), 'jpeg');
    assert.equal(formatOfName('out.jpeg'), 'jpeg');
    assert.equal(formatOfName('out.webp'), 'webp');
    assert.equal(formatOfName('out.png'), 'png');
    assert.equal(formatOfName('out.bmp'), undefined);
    assert.equal(formatOfName('out'), undefined);
  });
});

describe('writing the output', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-output-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  /** The local file system as the extension's workspace.fs adapter behaves: publishing is a rename that never replaces. */
  function localFs(overrides: Partial<OutputFs> = {}): OutputFs {
    return {
      paths: path,
      exists: (p) => fs.stat(p).then(() => true, () => false),
      createDirectory: async (p) => void (await fs.mkdir(p, { recursive: true })),
      writeFile: (p, b) => fs.writeFile(p, b),
      publish: async (from, to) => {
        if (await fs.stat(to).then(() => true, () => false)) throw new TargetExistsError(to);
        await fs.rename(from, to);
      },
      replace: (from, to) => fs.rename(from, to),
      delete: (p) => fs.rm(p),
      ...overrides,
    };
  }

  it('writes the file, creating its folder, and leaves nothing else behind', async () => {
    const target = path.join(dir, 'out', 'dog.s.stylized.png');
    assert.equal(await writeOutput(localFs(), target, Buffer.from('png')), target);
    assert.equal(await fs.readFile(target, 'utf8'), 'png');
    assert.deepEqual(await fs.readdir(path.join(dir, 'out')), ['dog.s.stylized.png']);
  });

  it('never replaces an existing file', async () => {
    const target = path.join(dir, 'dog.png');
    await fs.writeFile(target, 'mine');
    assert.equal(await writeOutput(localFs(), target, Buffer.from('new')), path.join(dir, 'dog-1.png'));
    assert.equal(await fs.readFile(target, 'utf8'), 'mine');
    assert.deepEqual((await fs.readdir(dir)).sort(), ['dog-1.png', 'dog.png']);
  });

  it('takes the next free name when another writer takes the name first', async () => {
    const target = path.join(dir, 'dog.png');
    const base = localFs();
    let raced = false;
    const racing = localFs({
      publish: async (from, to) => {
        if (!raced) {
          raced = true;
          await fs.writeFile(to, 'other writer');
        }
        return base.publish(from, to);
      },
    });
    assert.equal(await writeOutput(racing, target, Buffer.from('new')), path.join(dir, 'dog-1.png'));
    assert.equal(await fs.readFile(target, 'utf8'), 'other writer');
  });

  it('saves the result of a content image with a long name, shortened, numbered when taken', async () => {
    const target = path.join(dir, outputFileName(PATTERN, `/w/${'ü'.repeat(120)}.jpg`, ['/w/kandinsky.jpg'], 'png'));
    assert.equal(await writeOutput(localFs(), target, Buffer.from('one')), target);
    const second = await writeOutput(localFs(), target, Buffer.from('two'));
    assert.match(path.basename(second), /^ü+~\.kandinsky\.stylized-1\.png$/);
    assert.deepEqual((await fs.readdir(dir)).sort(), [path.basename(second), path.basename(target)].sort());
  });

  it('a failed write leaves no temporary file', async () => {
    const failing = localFs({ publish: async () => { throw new Error('disk full'); } });
    await assert.rejects(writeOutput(failing, path.join(dir, 'dog.png'), Buffer.from('x')), /disk full/);
    assert.deepEqual(await fs.readdir(dir), []);
  });
});
