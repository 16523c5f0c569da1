// Decoding and inference apart, face-stage throughput and whole-analysis real-time factor on a video.
// Prints figures; never fails on time. Usage: npm run bench:vision [-- --runs 5 --video <file>]
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { analysisContext } from '../src/analysis/context.ts';
import { faceWorkerPool } from '../src/analysis/face-pool.ts';
import { probe, readFrames, type Frame } from '../src/analysis/media.ts';
import { analyze } from '../src/analysis/pipeline.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
import { loadAnalysisSettings } from '../src/config.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, video: { type: 'string' } } });
const runs = Number(values.runs);
// The settings the server would use (ANALYSIS_FPS, FFMPEG_PATH…); no transcription: this is the face stage.
const context = analysisContext(loadAnalysisSettings(), null);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-vision-'));
try {
  // Default input: a 35 s, 720×1280, 30 fps portrait talking head, as a phone records an answer (the
  // 8 s fixture looped, scaled to 720 wide and padded above and below).
  let video = values.video;
  if (!video) {
    video = join(dir, 'portrait-35s.mp4');
    await promisify(execFile)(context.tools.ffmpeg, [
      ...['-v', 'error', '-stream_loop', '4', '-i', join('test', 'fixtures', 'video_talking_female_en_8s.mp4')],
      ...['-t', '35', '-vf', 'scale=720:720,pad=720:1280:0:280,fps=30'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-c:a', 'aac', video],
    ]);
  }
  console.log(
    `bench:vision — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}; median of ${runs} runs; ${video}`,
  );

  // The two costs apart: decoding alone (ffmpeg's pipe, no model), then the model alone on frames
  // decoded beforehand, in this thread.
  const info = await probe(video, context.tools);
  const { analysis_fps: fps, frame_max_side_px: maxSide } = context.thresholds;
  const decode = async (startSec = 0, endSec?: number) => {
    const frames: Frame[] = [];
    for await (const frame of readFrames(video!, info, { fps, maxSide, startSec, endSec }, context.tools))
      frames.push(frame);
    return frames;
  };
  const decodeMs: number[] = [];
  const decodeTwoMs: number[] = [];
  let decoded: Frame[] = [];
  for (let run = 0; run < runs; run++) {
    let started = performance.now();
    decoded = await decode();
    decodeMs.push((performance.now() - started) / decoded.length);
    started = performance.now();
    const half = Math.round((info.durationSec / 2) * fps) / fps;
    await Promise.all([decode(0, half), decode(half)]);
    decodeTwoMs.push((performance.now() - started) / decoded.length);
  }
  console.log(
    `decode alone (${info.width}×${info.height}, ${info.fps.toFixed(0)} fps → ${fps} fps, ${decoded[0]?.width}×${decoded[0]?.height}): ` +
      `${median(decodeMs).toFixed(1)} ms/frame with one ffmpeg, ${median(decodeTwoMs).toFixed(1)} ms/frame with two side by side`,
  );
  const model = await loadFaceModel();
  for (const frame of decoded.slice(0, 10)) await model.detect(frame); // warm-up
  const inferenceMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    for (const frame of decoded) await model.detect(frame);
    inferenceMs.push((performance.now() - started) / decoded.length);
  }
  console.log(`inference alone (frames decoded beforehand, one thread): ${median(inferenceMs).toFixed(1)} ms/frame`);

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
