// Analysis is background work: on Linux its threads and ffmpeg processes run at a lower scheduling
// priority, so that the HTTP event loop stays responsive on a busy machine.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

const BACKGROUND_NICE = 10;

/** Lowers the priority of the calling thread (a worker thread has a Linux thread id of its own). */
export function runThreadInBackground(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, BACKGROUND_NICE);
  } catch {
    // Not Linux, or not allowed: the work still runs, only at normal priority.
  }
}

export function runProcessInBackground(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, BACKGROUND_NICE);
  } catch {
    // as above
  }
}
