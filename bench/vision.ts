// Face-stage throughput and whole-analysis real-time factor on a fixture. Prints figures; never fails on
// time. Usage: npm run bench:vision [-- --runs 5 --video <file>]
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { analysisContext } from '../src/analysis/context.ts';
import { faceWorkerPool } from '../src/analysis/face-pool.ts';
import { analyze } from '../src/analysis/pipeline.ts';
import { loadAnalysisSettings } from '../src/config.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, video: { type: 'string' } } });
const runs = Number(values.runs);
// The settings the server would use (ANALYSIS_FPS, FFMPEG_PATH…); no transcription: this is the face stage.
const context = analysisContext(loadAnalysisSettings(), null);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-vision-'));
try {
  // Default input: the 8 s talking-head fixture played four times (32 s, 512×512, 25 fps).
  let video = values.video;
  if (!video) {
    video = join(dir, 'talking-32s.mp4');
    await promisify(execFile)(context.tools.ffmpeg, [
      '-v',
      'error',
      '-stream_loop',
      '3',
      '-i',
      join('test', 'fixtures', 'video_talking_female_en_8s.mp4'),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-c:a',
      'aac',
      video,
    ]);
  }
  console.log(
    `bench:vision — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}; median of ${runs} runs; ${video}`,
  );

  // Face stage alone, with warm worker pools of one and two threads.
  for (const workers of [1, 2]) {
    const pool = faceWorkerPool(workers);
    await analyze(video, context, { facePool: pool }); // warm-up: threads started, models loaded
    const msPerFrame: number[] = [];
    let frames = 0;
    let duration = 0;
    for (let run = 0; run < runs; run++) {
      let faceStart = 0;
      let faceEnd = 0;
      const result = await analyze(video, context, {
        facePool: pool,
        onProgress: ({ stage, progress }) => {
          if (stage === 'face' && progress === 0) faceStart = performance.now();
          if (stage === 'metrics') faceEnd = performance.now();
        },
      });
      frames = result.timeline.length;
      duration = result.video.duration_sec;
      msPerFrame.push((faceEnd - faceStart) / frames);
    }
    await pool.close();
    const ms = median(msPerFrame);
    console.log(
      `face stage, ${workers} worker thread${workers > 1 ? 's' : ' '}: ${ms.toFixed(1)} ms/frame = ${(1000 / ms).toFixed(1)} frames/s` +
        ` (${frames} frames of ${duration.toFixed(1)} s; runs ${msPerFrame.map((v) => v.toFixed(1)).join(', ')} ms)`,
    );
  }

  // The whole command, cold: process start, worker threads, model loading, decoding, metrics.
  const seconds: number[] = [];
  const peaksMb: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const { peakKb, stdout } = await timed(['--import', 'tsx', 'src/cli/analyze.ts', video, '--no-speech']);
    seconds.push((performance.now() - started) / 1000);
    peaksMb.push(peakKb / 1024);
    if (run === 0) {
      const duration = (JSON.parse(stdout) as { video: { duration_sec: number } }).video.duration_sec;
      process.env.BENCH_DURATION = String(duration);
    }
  }
  const duration = Number(process.env.BENCH_DURATION);
  console.log(
    `analyze --no-speech (cold process): ${median(seconds).toFixed(2)} s for ${duration.toFixed(1)} s of video = real-time factor ${(median(seconds) / duration).toFixed(3)}` +
      `; peak memory ${median(peaksMb).toFixed(0)} MB (runs ${seconds.map((v) => v.toFixed(2)).join(', ')} s)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** Runs node with the arguments under /usr/bin/time for the peak resident memory of the whole process. */
function timed(args: string[]): Promise<{ peakKb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB %M', process.execPath, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const peak = /PEAK_KB (\d+)/.exec(stderr);
      if (code !== 0 || !peak) reject(new Error(`analyze failed (${code}): ${stderr}`));
      else resolve({ peakKb: Number(peak[1]), stdout });
    });
  });
}
