// Soak: analyses back to back on one warm server (mixed fixtures; transcription by an OpenAI-compatible
// server on loopback, so the speech stage runs too), printing after each the resident memory and open
// files of the server and its analysis processes (a leak in ONNX Runtime or ffmpeg shows there) and the
// temporary files left. They must stay flat: the slope over the runs after warm-up is printed. Never fails on
// time. Usage: npm run bench:soak [-- --runs 40]
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processMemoryMb, startBenchServer } from './server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
const runs = Number(values.runs);
// The allocators of the server and of the analysis processes grow for the first twenty or so analyses
// and then level off; a leak goes on growing. The slope is taken over the second half.
const WARM_UP = Math.floor(runs / 2);
const FIXTURES = [
  'video_talking_female_en_8s.mp4',
  'video_talking_male_en_5s.mp4',
  'video_webcam_expressions_nospeech_20s.mp4',
];

// A transcription server speaking OpenAI's verbose JSON, answering at once.
const stt = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        language: 'english',
        duration: 5,
        text: ' Um, I have built Java services.',
        segments: [{ id: 0, start: 0.3, end: 2.4, text: ' Um, I have built Java services.' }],
        words: [
          ['Um,', 0.3, 0.6],
          ['I', 0.7, 0.8],
          ['have', 0.9, 1.1],
          ['built', 1.2, 1.5],
          ['Java', 1.6, 1.9],
          ['services.', 2.0, 2.4],
        ].map(([word, start, end]) => ({ word, start, end })),
      }),
    );
  });
});
await new Promise<void>((resolve) => stt.listen(0, '127.0.0.1', resolve));

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-soak-'));
const server = await startBenchServer(dir, {
  STT_ENGINE: 'openai',
  STT_OPENAI_URL: `http://127.0.0.1:${(stt.address() as AddressInfo).port}/v1`,
  STT_LANGUAGE: 'en',
});

/** The server and its analysis processes. */
async function residentMb(pids: number[]): Promise<number> {
  let mb = 0;
  for (const pid of pids) mb += await processMemoryMb(pid, 'VmRSS');
  return mb;
}
async function openFiles(pids: number[]): Promise<number> {
  let count = 0;
  for (const pid of pids) count += (await readdir(`/proc/${pid}/fd`).catch(() => [])).length;
  return count;
}
/** Least-squares slope of `values` against their index. */
function slope(values: number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return den ? num / den : 0;
}

try {
  const token = await server.signUp();
  const session = await server.call<{ id: string }>('POST', '/api/interviews/sessions', token, {
    generate_questions: false,
  });
  const question = await server.call<{ id: string }>(
    'POST',
    `/api/interviews/sessions/${session.id}/questions`,
    token,
    { text: 'Tell me about yourself.' },
  );
  console.log(
    `bench:soak — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, SQLite, transcription: a fake OpenAI-compatible server`,
  );
  console.log('run  fixture                                      RSS MB (server + analysis)  open files  temp files');
  const rows: Array<{ rss: number; files: number; temp: number }> = [];
  for (let run = 1; run <= runs; run++) {
    const fixture = FIXTURES[(run - 1) % FIXTURES.length]!;
    const form = new FormData();
    form.append('session_id', session.id);
    form.append('question_id', question.id);
    form.append('file', new Blob([await readFile(join('test', 'fixtures', fixture))]), fixture);
    const video = await server.call<{ video_id: string }>('POST', '/api/video/upload', token, form);
    await server.call('POST', `/api/video/analyze/${video.video_id}`, token);
    // The answer is not needed again; deleting it keeps the data folder from growing with the runs.
    await server.call('DELETE', `/api/interviews/videos/${video.video_id}`, token).catch(() => {});
    const pids = [server.pid, ...(await server.children())];
    const serverMb = await residentMb([server.pid]);
    const row = {
      rss: await residentMb(pids),
      files: await openFiles(pids),
      temp: (await readdir(join(dir, 'data', 'tmp')).catch(() => [])).length,
    };
    rows.push(row);
    const split = `${row.rss.toFixed(0)} (${serverMb.toFixed(0)} + ${(row.rss - serverMb).toFixed(0)})`;
    console.log(
      `${String(run).padStart(3)}  ${fixture.padEnd(43)} ${split.padStart(26)}  ${String(row.files).padStart(10)}  ${String(row.temp).padStart(10)}`,
    );
  }
  const steady = rows.slice(WARM_UP);
  console.log(
    `slope per analysis over runs ${WARM_UP + 1}–${runs}: RSS ${slope(steady.map((r) => r.rss)).toFixed(2)} MB, open files ${slope(steady.map((r) => r.files)).toFixed(3)}, temp files ${slope(steady.map((r) => r.temp)).toFixed(3)}`,
  );
} finally {
  await server.stop();
  stt.close();
  await rm(dir, { recursive: true, force: true });
}
