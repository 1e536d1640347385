import * as assert from 'node:assert/strict';
import { FastSessions } from '../../../src/worker/fast-sessions';

const session = (bytes: number) => ({ bytes });

describe('fast sessions kept by the worker', () => {
  it('drops the least recently used first when there are too many', () => {
    const sessions = new FastSessions<{ bytes: number }>({ count: 2, bytes: Infinity });
    assert.deepEqual(sessions.keep('a', session(1)), []);
    assert.deepEqual(sessions.keep('b', session(1)), []);
    assert.ok(sessions.get('a'), 'a is used again');
    assert.deepEqual(sessions.keep('c', session(1)), ['b']);
    assert.equal(sessions.get('b'), undefined);
    assert.ok(sessions.get('a') && sessions.get('c'));
  });

  it('keeps within its memory budget, but always keeps the newest', () => {
    const sessions = new FastSessions<{ bytes: number }>({ count: 10, bytes: 100 });
    sessions.keep('a', session(40));
    sessions.keep('b', session(40));
    assert.deepEqual(sessions.keep('c', session(40)), ['a']);
    assert.deepEqual(sessions.keep('huge', session(500)), ['b', 'c']);
    assert.ok(sessions.get('huge'), 'the newest stays however large');
  });

  it('drops what grew over the budget when told to fit, and forgets a session dropped on purpose', () => {
    const grown = session(10);
    const sessions = new FastSessions<{ bytes: number }>({ count: 10, bytes: 100 });
    sessions.keep('a', grown);
    sessions.keep('b', session(10));
    grown.bytes = 95;
    assert.deepEqual(sessions.fit(), ['a']);
    sessions.drop('b');
    assert.equal(sessions.get('b'), undefined);
  });
});
