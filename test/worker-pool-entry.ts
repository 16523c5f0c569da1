// A worker for test/worker-pool.test.ts, run as a thread or as a process: tasks that count, fail, exit
// or never end, on demand.
import { threadId } from 'node:worker_threads';
import { serveTasks } from '../src/worker-pool.ts';

export type TestTask =
  | { op: 'count'; to: number }
  | { op: 'throw'; name: string; message: string }
  | { op: 'exit' }
  | { op: 'hang' }
  | { op: 'whoami' };

serveTasks<TestTask, number, string | number>(async (task, emit) => {
  switch (task.op) {
    case 'count':
      for (let i = 1; i <= task.to; i++) emit(i);
      return task.to;
    case 'throw': {
      const error = new Error(task.message);
      error.name = task.name;
      throw error;
    }
    case 'exit':
      return process.exit(3);
    case 'hang':
      return new Promise<never>(() => setInterval(() => {}, 1000));
    case 'whoami':
      return `${process.pid}/${threadId}`;
  }
});
