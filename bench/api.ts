// API throughput: autocannon against the real server (its own process, SQLite, logs at warn) for an
// authenticated read and an authenticated write. Prints the median of several runs; never fails on time.
// Usage: npm run bench:api [-- --runs 3 --duration 10 --connections 50]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  },
});
const runs = Number(values.runs);
const duration = Number(values.duration);
const connections = Number(values.connections);
const port = 8000 + Math.floor(Math.random() * 1000) + 1000;
const baseUrl = `http://127.0.0.1:${port}`;

const dataDir = await mkdtemp(join(tmpdir(), 'ip-bench-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

async function json<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function waitForServer(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not start');
}

interface Figures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ ...options, connections, duration });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

try {
  await waitForServer();
  const credentials = { email: 'bench@example.com', password: 'benchmark-password' };
  await json('POST', '/api/users/', { ...credentials, name: 'Bench' });
  const { access_token } = await json<{ access_token: string }>('POST', '/api/users/login', credentials);
  const session = await json<{ id: string }>('POST', '/api/interviews/sessions', { title: 'bench' }, access_token);
  const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };

  const scenarios: Array<[name: string, options: autocannon.Options]> = [
    ['GET  /api/interviews/sessions/{id}', { url: `${baseUrl}/api/interviews/sessions/${session.id}`, headers }],
    [
      'POST /api/interviews/sessions/{id}/questions',
      {
        url: `${baseUrl}/api/interviews/sessions/${session.id}/questions`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          text: '가장 어려웠던 기술적 문제와 해결 과정을 설명해 주세요.',
          type: 'portfolio',
          order: 1,
        }),
      },
    ],
  ];

  console.log(
    `bench:api — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, SQLite; ` +
      `${connections} connections, ${duration} s per run, median of ${runs} runs`,
  );
  for (const [name, options] of scenarios) {
    const figures: Figures[] = [];
    for (let run = 0; run < runs; run++) figures.push(await load(options));
    console.log(
      `${name.padEnd(46)} ${median(figures.map((f) => f.requestsPerSec))
        .toFixed(0)
        .padStart(6)} req/s` +
        `  p50 ${median(figures.map((f) => f.p50Ms)).toFixed(1)} ms  p99 ${median(figures.map((f) => f.p99Ms)).toFixed(1)} ms` +
        `  (runs: ${figures.map((f) => f.requestsPerSec.toFixed(0)).join(', ')} req/s; non-2xx ${figures.reduce((n, f) => n + f.non2xx, 0)})`,
    );
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
}
