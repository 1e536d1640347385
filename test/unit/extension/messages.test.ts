import * as assert from 'node:assert/strict';
import { defaultOptions } from '../../../src/common/options';
import { RestoredJob } from '../../../src/extension/job';
import { fromGrid, fromWebview, fromWorker, toGrid, toWorker, webviewState } from '../../../src/protocol/messages';
import { ProtocolError, parse } from '../../../src/protocol/fields';

const image = { name: 'dog.png', bytes: new Uint8Array([1, 2, 3]) };

function run(overrides: Record<string, unknown> = {}) {
  return {
    type: 'run', jobId: 'j', content: image, styles: [image], options: defaultOptions(), weightsPath: '/w.h5',
    format: 'png', previewSize: 256, ...overrides,
  };
}

function refusal(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof ProtocolError, String(e));
    assert.match(e.message, pattern);
    return true;
  };
}

describe('messages checked on arrival', () => {
  it('lets a well-formed job through, typed', () => {
    const m = parse(toWorker, run(), 'message');
    assert.equal(m.type, 'run');
  });

  it('carries a job’s optional mask as named bytes', () => {
    const m = parse(toWorker, run({ mask: image }), 'message');
    assert.deepEqual(m.type === 'run' && m.mask, image);
    assert.throws(() => parse(toWorker, run({ mask: { name: 'm.png' } }), 'message'), refusal(/^message\.mask\.bytes is missing$/));
  });

  it('says which field of which message is wrong', () => {
    assert.throws(() => parse(toWorker, run({ styles: [{ name: 's.png' }] }), 'message'),
      refusal(/^message\.styles\[0\]\.bytes is missing$/));
    assert.throws(() => parse(toWorker, run({ format: 'gif' }), 'message'), refusal(/message\.format must be one of png, jpeg, webp/));
    assert.throws(() => parse(toWorker, { type: 'explode' }, 'message'), refusal(/has an unknown type "explode" \(expected run, cancel, openSession, render, closeSession, prepareFast\)/));
    assert.throws(() => parse(toWorker, null, 'message'), refusal(/unknown type/));
    const { method: _, ...withoutMethod } = defaultOptions();
    assert.throws(() => parse(toWorker, run({ options: withoutMethod }), 'message'), refusal(/^message\.options\.method is missing$/));
  });

  it('names a value that holds one object many times without writing it out', () => {
    let shared: unknown = 1;
    for (let i = 0; i < 200; i++) shared = [shared, shared];
    assert.throws(() => parse(toWorker, run({ options: { ...defaultOptions(), steps: shared } }), 'message'),
      refusal(/^message\.options\.steps must be an integer from 1 to 100000, got a list of 2$/));
  });

  it('checks the run options against the option table', () => {
    const options = { ...defaultOptions(), steps: 0 };
    assert.throws(() => parse(toWorker, run({ options }), 'message'), refusal(/message\.options\.steps must be an integer from 1 to 100000, got 0/));
  });

  it('refuses a progress report whose losses are not finite numbers', () => {
    const progress = {
      step: 1, totalSteps: 2, stage: 0, stages: 1, width: 8, height: 8, elapsedMs: 5, stepEquivalents: 1, totalStepEquivalents: 2,
      losses: { total: NaN, style: 1, content: 1, tv: 1 },
    };
    assert.throws(() => parse(fromWorker, { type: 'progress', jobId: 'j', progress }, 'm'), refusal(/m\.progress\.losses\.total must be a finite number/));
  });

  it('refuses "run again" values outside the settings\' ranges, in words for the panel', () => {
    const options = { styleWeight: 1, contentWeight: 1, tvWeight: 1, steps: 10, maxSize: 9 };
    assert.throws(() => parse(fromWebview, { type: 'runAgain', options }, 'm'), refusal(/maxSize must be an integer from 16 to 8192, got 9/));
    parse(fromWebview, { type: 'runAgain', options: { ...options, maxSize: 64 } }, 'm');
  });

  it('a panel\'s saved state survives JSON and is accepted after a reload', () => {
    const job = new RestoredJob('id', { name: 'c.png', uri: 'file:///w/c.png' }, [{ name: 's.png', uri: 'file:///w/s.png' }], defaultOptions());
    const saved = JSON.parse(JSON.stringify({ version: '1', record: job.record() }));
    assert.equal(parse(webviewState, saved, 'state').record.content.name, 'c.png');
    assert.throws(() => parse(webviewState, { version: '0', record: saved.record }, 'state'), refusal(/state\.version must be "1"/));
  });

  it('checks the style grid\'s messages both ways', () => {
    const styles = [{ label: 'The Kiss', detail: 'Gustav Klimt, 1907–08', styleSrc: 'https://x/klimt-the-kiss.jpg', gallery: true }];
    parse(toGrid, { type: 'grid', content: { name: 'dog.jpg', src: 'https://x/dog.jpg' }, styles, tileSize: 256 }, 'm');
    parse(toGrid, { type: 'tile', index: 0, png: new Uint8Array([1]) }, 'm');
    assert.throws(() => parse(toGrid, { type: 'tile', index: -1, png: new Uint8Array([1]) }, 'm'), refusal(/m\.index must be a whole number >= 0, got -1/));
    assert.equal(parse(fromGrid, { type: 'stylize', indices: [0, 3] }, 'm').type, 'stylize');
    assert.throws(() => parse(fromGrid, { type: 'stylize', indices: [] }, 'm'), refusal(/m\.indices must name at least one tile/));
    assert.throws(() => parse(fromGrid, { type: 'open' }, 'm'), refusal(/m\.index is missing/));
  });
});
