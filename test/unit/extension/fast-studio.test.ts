import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import sharp from 'sharp';
import { defaultOptions, fastControlsOf, type FastControlOptions, type StyleOptions } from '../../../src/common/options';
import { FastStudio, type StudioPicture } from '../../../src/extension/fast-studio';
import { JobState, RestoredJob } from '../../../src/extension/job';
import { WorkerClient } from '../../../src/extension/worker-client';
import { readImageMetadata } from '../../../src/image/metadata';
import { SETTINGS_KEY } from '../../../src/pipeline/recorded-settings';
import type { Resource } from '../../../src/protocol/messages';
import { recordedFlags } from '../../helpers/recorded-flags';

const ROOT = path.resolve(__dirname, '..');
const SAMPLES = path.join(ROOT, 'samples');
const resource = (file: string): Resource => ({ name: path.basename(file), uri: pathToFileURL(file).toString() });
const DOG = resource(path.join(SAMPLES, 'dog.jpg'));
const KANDINSKY = resource(path.join(SAMPLES, 'kandinsky.jpg'));
const WAVE = resource(path.join(SAMPLES, 'great-wave.jpg'));
/** The dog at 160 px is 160x131. */
const OPTIONS: StyleOptions = { ...defaultOptions(), method: 'fast', maxSize: 160 };
const SIZE = { width: 160, height: 131 };
const JPEG = [0xff, 0xd8];
const PNG = [0x89, 0x50, 0x4e, 0x47];

/** 8-bit RGB pixels of an encoded image. */
const pixels = (bytes: Uint8Array) => sharp(bytes).removeAlpha().raw().toBuffer();

describe('fast sessions: a fast picture rendered again from its controls alone', function () {
  this.timeout(120_000);
  let dir: string;
  let worker: WorkerClient;
  let reads: string[];
  const deps = () => ({
    worker,
    read: async (r: Resource) => {
      reads.push(r.name);
      return { name: r.name, bytes: await fs.readFile(fileURLToPath(r.uri)) };
    },
  });
  const named = async (r: Resource) => ({ name: r.name, bytes: await fs.readFile(fileURLToPath(r.uri)) });
  const controls = (c: Partial<FastControlOptions> = {}): FastControlOptions => ({ ...fastControlsOf(OPTIONS), ...c });

  /** Resolves with the first picture of `job` that `accept` takes (every one it hears goes to `seen`). */
  function picture(job: JobState, accept: (p: StudioPicture) => boolean, seen: StudioPicture[] = []): Promise<StudioPicture> {
    return new Promise((resolve, reject) => {
      const subscription = job.onEvent((e) => {
        if (e.kind === 'status' && job.message?.startsWith('Could not render')) reject(new Error(job.message));
        if (e.kind !== 'rendered') return;
        seen.push(e.picture);
        if (!accept(e.picture)) return;
        subscription.dispose();
        resolve(e.picture);
      });
    });
  }

  const fastJob = (id: string, styles = [KANDINSKY], options = OPTIONS) => {
    const job = new RestoredJob(id, DOG, styles, options);
    job.status = 'done';
    return job;
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-studio-'));
  });
  beforeEach(() => {
    reads = [];
    worker = new WorkerClient({ script: path.join(ROOT, 'dist/worker.js'), idleMs: 60_000, cancelGraceMs: 20_000, log: () => {} });
  });
  afterEach(() => worker.dispose());
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('renders a job run with keepSession again with only the controls, the same picture as a whole job of those options', async () => {
    const [content, style] = await Promise.all([named(DOG), named(KANDINSKY)]);
    const run = { type: 'run' as const, content, styles: [style], weightsPath: '', format: 'png' as const, previewSize: 64 };
    const end = await worker.run({ ...run, jobId: 'kept', options: OPTIONS, keepSession: true }, () => {});
    assert.equal(end.type, 'result');
    const render = (type: 'preview' | 'picture', c: Partial<FastControlOptions>) =>
      worker.render({ type: 'render', jobId: 'kept', controls: controls(c), encoding: { type } }, () => {});
    const preview = await render('preview', { styleStrength: 0.4, styleScale: 1.5 });
    assert.equal(preview.type, 'rendered');
    assert.deepEqual(preview.type === 'rendered' && [...preview.bytes.subarray(0, 2)], JPEG);
    const whole = await render('picture', { styleStrength: 0.4, styleScale: 1.5 });
    assert.ok(whole.type === 'rendered');
    assert.deepEqual([...whole.bytes.subarray(0, 4)], PNG);
    assert.deepEqual([whole.width, whole.height], [SIZE.width, SIZE.height]);

    const again = await worker.run({ ...run, jobId: 'whole', options: { ...OPTIONS, styleStrength: 0.4, styleScale: 1.5 } }, () => {});
    assert.ok(again.type === 'result');
    assert.deepEqual(await pixels(whole.bytes), await pixels(again.result.bytes), 'the same pixels as the whole job');
    const first = await render('picture', {});
    assert.ok(first.type === 'rendered' && end.type === 'result');
    assert.deepEqual(await pixels(first.bytes), await pixels(end.result.bytes), 'back to the run’s own controls, its own picture');
  });

  it('answers a malformed render with `failed` naming the field, a refused control with the setting, and renders on', async () => {
    const job = fastJob('refused');
    await new FastStudio(job, deps(), SIZE).output({ format: 'png' });
    const malformed = await worker.render({ type: 'render', jobId: 'refused', controls: controls({ styleStrength: 2 }), encoding: { type: 'preview' } }, () => {});
    assert.equal(malformed.type, 'failed');
    assert.match(malformed.type === 'failed' ? malformed.message : '', /malformed message: message\.controls\.styleStrength must be a number from 0 to 1, got 2$/);
    const blend = await worker.render({ type: 'render', jobId: 'refused', controls: controls({ styleBlendWeights: [1, 1] }), encoding: { type: 'preview' } }, () => {});
    assert.ok(blend.type === 'failed' && blend.userError);
    assert.equal(blend.message, 'neuralStyle.styleBlendWeights has 2 entries but 1 style image was given');
    const fine = await worker.render({ type: 'render', jobId: 'refused', controls: controls(), encoding: { type: 'preview' } }, () => {});
    assert.equal(fine.type, 'rendered');
  });

  it('opens a session dropped for room again from the job’s files, and a job the worker never saw', async () => {
    const job = fastJob('first');
    const studio = new FastStudio(job, deps(), SIZE);
    studio.change(1, { styleStrength: 0.5 }, true);
    await picture(job, (p) => p.seq === 1);
    assert.deepEqual(reads, ['dog.jpg', 'kandinsky.jpg'], 'the worker had no session: the files were read to open one');
    const [content, style] = await Promise.all([named(DOG), named(KANDINSKY)]);
    // The worker keeps four sessions: four more jobs push the first one out.
    for (const id of ['b', 'c', 'd', 'e']) {
      const opened = await worker.openSession({ type: 'openSession', jobId: id, content, styles: [style], options: OPTIONS }, () => {});
      assert.equal(opened.type, 'opened');
    }
    studio.change(2, { styleStrength: 0.6 }, true);
    const shown = await picture(job, (p) => p.seq === 2);
    assert.equal(shown.controls.styleStrength, 0.6);
    assert.deepEqual(reads, ['dog.jpg', 'kandinsky.jpg', 'dog.jpg', 'kandinsky.jpg'], 'opened again from the files');
  });

  it('follows a control without a backlog: of many changes, the newest is shown last', async () => {
    const job = fastJob('dragged');
    const studio = new FastStudio(job, deps(), SIZE);
    const seen: StudioPicture[] = [];
    for (let seq = 1; seq <= 12; seq++) studio.change(seq, { styleStrength: seq / 12 }, seq === 12);
    const last = await picture(job, (p) => p.seq === 12, seen);
    assert.equal(last.controls.styleStrength, 1);
    assert.ok(last.final && seen.length < 12, `${seen.length} pictures for 12 changes`);
    assert.deepEqual(seen.map((p) => p.seq), [...seen.map((p) => p.seq)].sort((a, b) => a - b), 'in order');
  });

  it('brings a restored picture’s controls back with the mask saved beside it', async () => {
    const maskFile = path.join(dir, 'saved.mask.png');
    const black = Buffer.alloc(SIZE.width * SIZE.height, 255).fill(0, 0, SIZE.width * 40);
    await sharp(black, { raw: { ...SIZE, channels: 1 } }).png().toFile(maskFile);
    const record = { ...fastJob('restored').record(), status: 'done' as const, output: resource(path.join(dir, 'saved.png')), mask: resource(maskFile) };
    const job = JobState.restore(record);
    const studio = new FastStudio(job, deps(), SIZE, job.mask);
    assert.equal(studio.mask, undefined, 'read on the first render');
    studio.change(1, { styleStrength: 0.3 }, false);
    await picture(job, (p) => p.seq === 1);
    assert.deepEqual(reads, ['dog.jpg', 'kandinsky.jpg', 'saved.mask.png']);
    assert.deepEqual(studio.view().mask, new Uint8Array(black), 'the saved mask, to paint on');
  });

  it('saves what it shows: every control and the painted mask recorded, the picture made again by the CLI from them', async () => {
    const job = fastJob('saved');
    const studio = new FastStudio(job, deps(), SIZE);
    studio.change(1, { styleStrength: 0.7, styleScale: 1.4, colors: 'histogram' }, false);
    // The top 50 rows take the second style, the rest the first.
    const bytes = new Uint8Array(SIZE.width * SIZE.height).fill(255).fill(0, 0, SIZE.width * 50);
    studio.paint(2, { ...SIZE, bytes }, true);
    studio.setStyles([KANDINSKY, WAVE]);
    const answer = await studio.output({ format: 'png', maskName: 'saved.mask.png' });
    if (answer.type !== 'rendered' || !answer.mask) assert.fail(answer.type === 'failed' ? answer.message : `${answer.type} without a mask`);
    const [picture, mask] = [path.join(dir, 'saved.png'), path.join(dir, 'saved.mask.png')];
    await fs.writeFile(picture, answer.bytes);
    await fs.writeFile(mask, answer.mask);
    const recorded = JSON.parse((await readImageMetadata(picture))[SETTINGS_KEY]);
    assert.deepEqual(
      [recorded.options.styleStrength, recorded.options.styleScale, recorded.options.colors, recorded.options.styleBlendWeights],
      [0.7, 1.4, 'histogram', []],
    );
    assert.deepEqual([recorded.styles, recorded.mask], [['kandinsky.jpg', 'great-wave.jpg'], 'saved.mask.png']);
    const again = path.join(dir, 'again.png');
    const inputs = [DOG, KANDINSKY, WAVE].map((r) => fileURLToPath(r.uri));
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'stylize', ...inputs, ...recordedFlags(recorded.options), '--mask', mask, '-o', again], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const [a, b] = [await pixels(await fs.readFile(picture)), await pixels(await fs.readFile(again))];
    assert.ok(a.every((v, i) => Math.abs(v - b[i]) <= 1), 'the same picture within one level');

    // Saved, then restored after a reload: the same picture again, from the job's files.
    studio.saved(resource(picture), resource(mask));
    const restored = JobState.restore(JSON.parse(JSON.stringify(job.record())));
    await worker.dispose();
    const back = new FastStudio(restored, deps(), SIZE, restored.mask);
    back.change(1, {}, true);
    const shown = await new Promise<StudioPicture>((resolve, reject) => {
      restored.onEvent((e) => {
        if (e.kind === 'rendered') resolve(e.picture);
        if (e.kind === 'status' && restored.message?.startsWith('Could not')) reject(new Error(restored.message));
      });
    });
    assert.deepEqual(await pixels(shown.bytes), a, 'the restored panel shows the picture saved');
  });
});
