// What the benchmarks share: the real server in its own process (SQLite in a fresh data folder, logs
// at warn), a small API client with a signed-up user, and the server's memory from /proc.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** Calls the API; a non-2xx answer throws with its body. FormData bodies go as multipart. */
  call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T>;
  /** Signs a user up and logs in; the bearer token. */
  signUp(): Promise<string>;
  /** `VmHWM` is the peak so far, `VmRSS` the current resident size. */
  memoryMb(field: 'VmHWM' | 'VmRSS'): Promise<number>;
  stop(): Promise<void>;
}

export const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

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
    async memoryMb(field) {
      const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 1024;
    },
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
