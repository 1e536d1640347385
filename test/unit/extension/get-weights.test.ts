import * as assert from 'node:assert/strict';
import { getWeights, type WeightsOutcome, type WeightsUi } from '../../../src/extension/get-weights';

const LOCATE = 'Locate File…';

/**
 * A user and a machine in script form: each call is recorded; by default a question, a dialog and a download wait
 * for ever (as one left open does), and only the setting "/missing.h5" names a file that is not there.
 */
function scripted(overrides: Partial<WeightsUi> = {}) {
  const seen: string[] = [];
  const waiting = new Map<string, () => void>();
  const note = (what: string) => {
    seen.push(what);
    waiting.get(what)?.();
  };
  const forever = new Promise<never>(() => {});
  const ui: WeightsUi = {
    local: async (setting) => {
      if (setting === '/missing.h5') throw new Error('weights file not found: /missing.h5');
      return setting || undefined;
    },
    download: (signal) => {
      note('download');
      return new Promise((_, reject) => signal.addEventListener('abort', () => (note('download stopped'), reject(signal.reason))));
    },
    ask: (_message, actions) => (note(`ask ${actions.join(' / ')}`), forever),
    locate: () => (note('locate'), forever),
    logError: () => {},
  };
  for (const [key, f] of Object.entries(overrides)) {
    (ui as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => (note(key), (f as (...a: unknown[]) => unknown)(...args));
  }
  const reached = (what: string) => new Promise<void>((resolve) => (seen.includes(what) ? resolve() : waiting.set(what, resolve)));
  return { ui, seen, reached };
}

/** Whether `p` has settled once everything already due has run (no timer, no I/O: the flow is all in memory). */
async function settledAtOnce(p: Promise<WeightsOutcome>): Promise<WeightsOutcome | 'still waiting'> {
  let outcome: WeightsOutcome | 'still waiting' = 'still waiting';
  void p.then((o) => (outcome = o));
  await new Promise((resolve) => setImmediate(resolve));
  return outcome;
}

describe('getting the weights for a job', () => {
  // `cancelAt`: what the job is doing when it is cancelled ('start': before it begins; none: the user cancels the download).
  const states: { state: string; setting: string; overrides?: Partial<WeightsUi>; cancelAt?: string; seen: string[] }[] = [
    { state: 'before it begins', setting: '/missing.h5', cancelAt: 'start', seen: [] },
    { state: 'while the user is asked for the file the setting names', setting: '/missing.h5', cancelAt: `ask ${LOCATE}`, seen: [`ask ${LOCATE}`] },
    {
      state: 'while the file dialog is open', setting: '/missing.h5', overrides: { ask: async () => LOCATE }, cancelAt: 'locate',
      seen: ['ask', 'locate'],
    },
    { state: 'while downloading', setting: '', cancelAt: 'download', seen: ['download', 'download stopped'] },
    {
      state: 'while the user is asked what to do after a failed download', setting: '',
      overrides: { download: async () => { throw new Error('offline'); } }, cancelAt: `ask ${LOCATE} / Retry`, seen: ['download', `ask ${LOCATE} / Retry`],
    },
    { state: 'in the download\'s own notification', setting: '', overrides: { download: async () => undefined }, seen: ['download'] },
  ];
  for (const { state, setting, overrides, cancelAt, seen } of states) {
    it(`a cancel ${state} ends the job's wait at once`, async () => {
      const { ui, seen: happened, reached } = scripted(overrides);
      const controller = new AbortController();
      if (cancelAt === 'start') controller.abort();
      const outcome = getWeights(ui, setting, controller.signal);
      if (cancelAt && cancelAt !== 'start') {
        await reached(cancelAt);
        controller.abort();
      }
      const settled = await settledAtOnce(outcome);
      assert.ok(settled !== 'still waiting' && 'problem' in settled, `${JSON.stringify(settled)} after ${happened.join(', ')}`);
      assert.equal(settled.cancelled, true);
      assert.match(settled.problem, /^Cancelled (before|while) /);
      assert.deepEqual(happened, seen);
    });
  }

  it('without a cancel: a failed download offers Retry and a file, and the file located is used', async () => {
    const answers = ['Retry', LOCATE];
    const { ui, seen } = scripted({
      download: async () => { throw new Error('offline'); },
      ask: async () => answers.shift(),
      locate: async () => '/home/me/vgg19.h5',
    });
    assert.deepEqual(await getWeights(ui, '', new AbortController().signal), { path: '/home/me/vgg19.h5' });
    assert.deepEqual(seen, ['download', 'ask', 'download', 'ask', 'locate']);
  });

  it('without a cancel: a missing file that the user does not replace fails the job with the reason', async () => {
    const { ui } = scripted({ ask: async () => undefined });
    assert.deepEqual(await getWeights(ui, '/missing.h5', new AbortController().signal), { problem: 'weights file not found: /missing.h5', cancelled: false });
  });
});
