// What the benchmarks share: the real server in its own process (SQLite in a fresh data folder, logs
// at warn), a small API client with a signed-up user, the memory of the server and its analysis
// processes from /proc, and the portrait answer video they measure on.
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** Calls the API; a non-2xx answer throws with its body. FormData bodies go as multipart. */
  call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T>;
  /** Signs a user up and logs in; the bearer token. */
  signUp(): Promise<string>;
  /** `VmHWM` is the peak so far, `VmRSS` the current resident size. */
  memoryMb(field: 'VmHWM' | 'VmRSS'): Promise<number>;
  /** The server's child processes (analysis processes, PDF readers…). */
  children(): Promise<number[]>;
  stop(): Promise<void>;
}

export const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

/** A process's memory figure from /proc in MB, 0 once it has gone. */
export async function processMemoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/**
 * A 35 s, 720×1280, 30 fps portrait talking head, as a phone records an answer: the 8 s fixture looped,
 * scaled to 720 wide and padded above and below.
 */
export async function portraitVideo(ffmpegPath: string, dir: string): Promise<string> {
  const video = join(dir, 'portrait-35s.mp4');
  await promisify(execFile)(ffmpegPath, [
    ...['-v', 'error', '-stream_loop', '4', '-i', join('test', 'fixtures', 'video_talking_female_en_8s.mp4')],
    ...['-t', '35', '-vf', 'scale=720:720,pad=720:1280:0:280,fps=30'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-c:a', 'aac', video],
  ]);
  return video;
}

/** A 10-minute, 360×360 answer (the 8 s fixture looped): a 3,000-frame timeline at 5 fps. */
export async function tenMinuteVideo(ffmpegPath: string, dir: string): Promise<string> {
  const video = join(dir, 'ten-minutes.mp4');
  await promisify(execFile)(ffmpegPath, [
    ...['-v', 'error', '-y', '-stream_loop', '74', '-i', join('test', 'fixtures', 'video_talking_female_en_8s.mp4')],
    ...['-t', '600', '-vf', 'scale=360:360', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '32'],
    ...['-c:a', 'aac', '-b:a', '48k', video],
  ]);
  return video;
}

/** Starts `src/main.ts` on a random port with `DATA_DIR=dir/data` and waits for /health. */
export async function startBenchServer(dir: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = 9000 + Math.floor(Math.random() * 20_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: join(dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));

  async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const multipart = body instanceof FormData;
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(multipart || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: multipart ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      if (attempt > 150) {
        server.kill();
        throw new Error('the server did not start');
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  let users = 0;
  return {
    baseUrl,
    pid: server.pid!,
    call,
    async signUp() {
      const credentials = { email: `bench${++users}@example.com`, password: 'benchmark-password' };
      await call('POST', '/api/users/', undefined, { ...credentials, name: 'Bench' });
      return (await call<{ access_token: string }>('POST', '/api/users/login', undefined, credentials)).access_token;
    },
    memoryMb: (field) => processMemoryMb(server.pid!, field),
    async children() {
      const pids: number[] = [];
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // Field 4 is the parent; the command name (field 2) may hold spaces, so split after it.
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === server.pid) pids.push(Number(entry));
      }
      return pids;
    },
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
