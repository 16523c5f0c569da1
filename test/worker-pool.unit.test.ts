// The one worker pool, with threads and with processes: typed events and results, one task per worker,
// a lost worker failing its task with a clear error and being replaced, stopping a task, closing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processWorkers, threadWorkers, WorkerLostError, WorkerPool, WorkerTaskError } from '../src/worker-pool.ts';
import type { TestTask } from './worker-pool-entry.ts';

const ENTRY = new URL('./worker-pool-entry.ts', import.meta.url);
const KINDS = [
  { kind: 'thread', kinds: 'threads', start: threadWorkers(ENTRY) },
  { kind: 'process', kinds: 'processes', start: processWorkers(ENTRY) },
];

for (const { kind, kinds, start } of KINDS) {
  describe(`worker pool (${kinds})`, () => {
    const pool = (size: number) => new WorkerPool<TestTask, number, string | number>(size, start, `test ${kind}`);

    test('a task streams its events in order, then its result', async (t) => {
      const workers = pool(1);
      t.after(() => workers.close());
      const events: number[] = [];
      assert.equal(await workers.run({ op: 'count', to: 5 }, (n) => events.push(n)), 5);
      assert.deepEqual(events, [1, 2, 3, 4, 5]);
    });

    test("a task's error arrives with its message and the class name it had in the worker", async (t) => {
      const workers = pool(1);
      t.after(() => workers.close());
      await assert.rejects(workers.run({ op: 'throw', name: 'MediaError', message: 'not a video' }), (error) => {
        assert.ok(error instanceof WorkerTaskError);
        assert.equal(error.remoteName, 'MediaError');
        assert.equal(error.message, 'not a video');
        return true;
      });
      // The worker is still there for the next task.
      assert.equal(await workers.run({ op: 'count', to: 1 }), 1);
    });

    test('a worker that exits fails its task with a clear error, and a fresh one runs the next', async (t) => {
      const workers = pool(1);
      t.after(() => workers.close());
      const before = await workers.run({ op: 'whoami' });
      await assert.rejects(workers.run({ op: 'exit' }), (error) => {
        assert.ok(error instanceof WorkerLostError);
        assert.match(error.message, new RegExp(`^test ${kind} exited \\(code 3\\)$`));
        return true;
      });
      const after = await workers.run({ op: 'whoami' });
      assert.notEqual(after, before);
    });

    test('tasks beyond the pool size wait for a free worker; no worker runs two at once', async (t) => {
      const workers = pool(2);
      t.after(() => workers.close());
      const stop = new AbortController();
      const hanging = [
        workers.run({ op: 'hang' }, () => {}, stop.signal),
        workers.run({ op: 'hang' }, () => {}, stop.signal),
      ];
      let third = false;
      const next = workers.run({ op: 'count', to: 2 }).then((value) => {
        third = true;
        return value;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(third, false);
      stop.abort(new Error('stopped by the test'));
      for (const run of hanging) await assert.rejects(run, /stopped by the test/);
      assert.equal(await next, 2);
    });

    test('aborting a running task rejects it with the reason and stops its worker; a queued one never starts', async (t) => {
      const workers = pool(1);
      t.after(() => workers.close());
      const worker = await workers.run({ op: 'whoami' });
      const running = new AbortController();
      const queued = new AbortController();
      const first = workers.run({ op: 'hang' }, () => {}, running.signal);
      const second = workers.run({ op: 'count', to: 1 }, () => assert.fail('a removed task ran'), queued.signal);
      queued.abort(new Error('queued one cancelled'));
      await assert.rejects(second, /queued one cancelled/);
      running.abort(new Error('running one cancelled'));
      await assert.rejects(first, /running one cancelled/);
      assert.notEqual(await workers.run({ op: 'whoami' }), worker);
    });

    test('closing fails what is running and queued, and refuses new tasks', async () => {
      const workers = pool(1);
      const running = workers.run({ op: 'hang' });
      const queued = workers.run({ op: 'count', to: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const failed = [assert.rejects(running, WorkerLostError), assert.rejects(queued, WorkerLostError)];
      await workers.close();
      await Promise.all(failed);
      await assert.rejects(workers.run({ op: 'count', to: 1 }), /pool is closed/);
    });
  });
}
