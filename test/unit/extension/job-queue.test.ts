import * as assert from 'node:assert/strict';
import { JobQueue } from '../../../src/extension/job-queue';

interface TestJob {
  readonly id: string;
}

/** A queue whose jobs each wait until the test finishes them (or they are cancelled), recording what happens. */
function queue() {
  const events: string[] = [];
  const finishers = new Map<string, () => void>();
  const q = new JobQueue<TestJob>(
    (job, signal) =>
      new Promise<void>((resolve, reject) => {
        events.push(`start ${job.id}`);
        if (job.id === 'bug') reject(new Error('bug'));
        finishers.set(job.id, () => {
          events.push(`end ${job.id}`);
          resolve();
        });
        signal.addEventListener('abort', () => {
          events.push(`abort ${job.id}`);
          resolve();
        });
      }),
    (e) => events.push(`bug reported: ${(e as Error).message}`),
  );
  const settle = () => new Promise((r) => setImmediate(r));
  return { q, events, finish: async (id: string) => { finishers.get(id)!(); await settle(); }, settle };
}

describe('job queue', () => {
  it('runs one job at a time, in the order they came', async () => {
    const { q, events, finish, settle } = queue();
    q.add({ id: 'a' });
    q.add({ id: 'b' });
    await settle();
    assert.deepEqual(events, ['start a']);
    assert.equal(q.running?.id, 'a');
    assert.equal(q.ahead('b'), 1);
    await finish('a');
    assert.deepEqual(events, ['start a', 'end a', 'start b']);
    assert.equal(q.ahead('b'), 0);
    await finish('b');
    assert.equal(q.running, undefined);
  });

  it('a waiting job that is cancelled never starts', async () => {
    const { q, events, finish, settle } = queue();
    q.add({ id: 'a' });
    q.add({ id: 'b' });
    q.add({ id: 'c' });
    await settle();
    assert.equal(q.cancel('b'), 'removed');
    assert.equal(q.ahead('c'), 1);
    await finish('a');
    assert.deepEqual(events, ['start a', 'end a', 'start c']);
  });

  it('the running job is told to stop, and the next one starts once it has', async () => {
    const { q, events, settle } = queue();
    q.add({ id: 'a' });
    q.add({ id: 'b' });
    await settle();
    assert.equal(q.cancel('a'), 'stopping');
    await settle();
    assert.deepEqual(events, ['start a', 'abort a', 'start b']);
    assert.equal(q.cancel('nope'), 'unknown');
  });

  it('a job that throws is reported and the queue goes on', async () => {
    const { q, events, settle } = queue();
    q.add({ id: 'bug' });
    q.add({ id: 'b' });
    await settle();
    await settle();
    assert.deepEqual(events, ['start bug', 'bug reported: bug', 'start b']);
  });

  it('tells its listeners when jobs come, start and go', async () => {
    const { q, finish, settle } = queue();
    let changes = 0;
    q.onDidChange(() => changes++);
    q.add({ id: 'a' });
    await settle();
    await finish('a');
    assert.equal(changes, 3, 'added, started, ended');
  });
});
