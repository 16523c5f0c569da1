// End to end over HTTP against the real server process: upload + analyse real-time factor (the 8 s
// fixture and a 35 s 720p portrait answer), peak memory of the server and of its analysis process;
// results latency for a 10-minute video's timeline; read latency idle and during an analysis. Prints
// figures; never fails on time. Usage: npm run bench:e2e [-- --runs 3]
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { mediaTools } from '../src/analysis/media.ts';
import { median, portraitVideo, processMemoryMb, startBenchServer, tenMinuteVideo } from './server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const sttEngine = process.env.STT_ENGINE ?? 'none';

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-e2e-'));
const fixture = join('test', 'fixtures', 'video_talking_female_en_8s.mp4');
const long = await tenMinuteVideo(mediaTools().ffmpeg, dir);

const server = await startBenchServer(dir, { STT_ENGINE: sttEngine });
const { baseUrl, call } = server;

try {
  const token = await server.signUp();
  const session = await call<{ id: string }>('POST', '/api/interviews/sessions', token, {});
  const question = await call<{ id: string }>('POST', `/api/interviews/sessions/${session.id}/questions`, token, {
    text: '자기소개',
  });
  const upload = async (file: string) => {
    const form = new FormData();
    form.append('session_id', session.id);
    form.append('question_id', question.id);
    form.append('file', new Blob([await readFile(file)]), 'answer.mp4');
    return call<{ video_id: string; duration_sec: number }>('POST', '/api/video/upload', token, form);
  };

  console.log(
    `bench:e2e — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, SQLite; transcription engine: ${sttEngine}`,
  );
  const factors: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const video = await upload(fixture);
    await call('POST', `/api/video/analyze/${video.video_id}`, token);
    const factor = (performance.now() - started) / 1000 / video.duration_sec;
    if (run === 0)
      console.log(`first upload + analyse (analysis threads and models start): real-time factor ${factor.toFixed(3)}`);
    else factors.push(factor);
  }
  console.log(
    `upload + analyse of the 8 s fixture, warm: real-time factor ${median(factors).toFixed(3)} (runs ${factors.map((f) => f.toFixed(3)).join(', ')})`,
  );
  const portrait = await portraitVideo(mediaTools().ffmpeg, dir);
  const portraitFactors: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const video = await upload(portrait);
    await call('POST', `/api/video/analyze/${video.video_id}`, token);
    portraitFactors.push((performance.now() - started) / 1000 / video.duration_sec);
  }
  console.log(
    `upload + analyse of a 35 s 720×1280 portrait answer, warm: real-time factor ${median(portraitFactors).toFixed(3)} (goal ≤ 0.1 without transcription; runs ${portraitFactors.map((f) => f.toFixed(3)).join(', ')})`,
  );

  const read = (duration: number) =>
    autocannon({
      url: `${baseUrl}/api/interviews/sessions/${session.id}`,
      headers: { authorization: `Bearer ${token}` },
      connections: 10,
      duration,
    });
  const idle = await read(5);
  const longVideo = await upload(long);
  const job = await call<{ job_id: string }>('POST', `/api/video/analyze/${longVideo.video_id}?async=true`, token);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // well into the face stage
  const busy = await read(5);
  console.log(
    `GET /api/interviews/sessions/{id}, 10 connections: idle p50 ${idle.latency.p50} ms p99 ${idle.latency.p99} ms (${idle.requests.average.toFixed(0)} req/s);` +
      ` during an analysis p50 ${busy.latency.p50} ms p99 ${busy.latency.p99} ms (${busy.requests.average.toFixed(0)} req/s)`,
  );
  let status = 'running';
  const longStarted = performance.now();
  while (status === 'running' || status === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    status = (await call<{ status: string }>('GET', `/api/video/jobs/${job.job_id}`, token)).status;
  }
  console.log(
    `10-minute video: analysis ${status} (${((performance.now() - longStarted) / 1000 + 8).toFixed(0)} s ≈ real-time factor ${(((performance.now() - longStarted) / 1000 + 8) / 600).toFixed(3)})`,
  );
  const latencies: number[] = [];
  let size = 0;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/video/results/${longVideo.video_id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    size = (await response.arrayBuffer()).byteLength;
    latencies.push(performance.now() - started);
  }
  console.log(
    `GET /api/video/results/{id} for the 10-minute video (${(size / 1024 / 1024).toFixed(1)} MB, 3000-frame timeline): median ${median(latencies).toFixed(0)} ms`,
  );
  const analysisPeaks = await Promise.all((await server.children()).map((pid) => processMemoryMb(pid, 'VmHWM')));
  console.log(
    `peak memory (VmHWM): server ${(await server.memoryMb('VmHWM')).toFixed(0)} MB; analysis process ${Math.max(0, ...analysisPeaks).toFixed(0)} MB (goal ≤ 600 MB with the 10-minute video)`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
