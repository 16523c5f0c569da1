// Decoding and inference apart, face-stage throughput and whole-analysis real-time factor on a video,
// and the face chain against Human on TensorFlow.js (the engine it replaced) on the same frames: time
// and agreement. Prints figures; never fails on time. Usage: npm run bench:vision [-- --runs 5 --video <file>]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { analysisContext } from '../src/analysis/context.ts';
import { faceFeatures, type DetectedFace, type FaceFeatures } from '../src/analysis/face-features.ts';
import { faceWorkerPool } from '../src/analysis/face-pool.ts';
import { loadHumanFaceModel } from '../test/analysis/human-face.ts';
import { frameSize, probe, readFrames, type Frame } from '../src/analysis/media.ts';
import { analyze } from '../src/analysis/pipeline.ts';
import type { TimelineFrame } from '../src/analysis/timeline.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
import { loadAnalysisSettings, loadSpeechSettings } from '../src/config.ts';
import { portraitVideo } from './server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, video: { type: 'string' } } });
const runs = Number(values.runs);
// The settings the server would use (ANALYSIS_FPS, FFMPEG_PATH…); no transcription: this is the face stage.
const context = analysisContext(loadAnalysisSettings(), null);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-vision-'));
try {
  const video = values.video ?? (await portraitVideo(context.tools.ffmpeg, dir));
  console.log(
    `bench:vision — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}; median of ${runs} runs; ${video}`,
  );

  // The two costs apart: decoding alone (ffmpeg's pipe, no model), then the model alone on frames
  // decoded beforehand, in this thread.
  const info = await probe(video, context.tools);
  const { analysis_fps: fps, frame_max_side_px: maxSide } = context.thresholds;
  // As the face stage decodes (skipping frames nothing refers to, when the source allows), and every
  // source frame decoded, as before that.
  const skip = context.thresholds.skip_unreferenced_frames_from_ratio;
  // Timed as the face stage reads (frame buffers used again, nothing kept); counted, not kept.
  const decode = async (skipUnreferencedFromRatio: number | undefined, startSec = 0, endSec?: number) => {
    let count = 0;
    const options = { fps, maxSide, skipUnreferencedFromRatio, startSec, endSec, reuseBuffersAfter: 1 };
    for await (const _ of readFrames(video, info, options, context.tools)) count++;
    return count;
  };
  let count = 0;
  // ms a frame of the face stage's own decoding with two ffmpegs side by side (both cores busy).
  let decodeTwo = 0;
  for (const [label, ratio] of [
    ['as the face stage decodes', skip],
    ['every source frame decoded', undefined],
  ] as const) {
    const decodeMs: number[] = [];
    const decodeTwoMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      let started = performance.now();
      count = await decode(ratio);
      decodeMs.push((performance.now() - started) / count);
      started = performance.now();
      const half = Math.round((info.durationSec / 2) * fps) / fps;
      await Promise.all([decode(ratio, 0, half), decode(ratio, half)]);
      decodeTwoMs.push((performance.now() - started) / count);
    }
    if (ratio === skip) decodeTwo = median(decodeTwoMs);
    const { width, height } = frameSize(info.width, info.height, maxSide);
    console.log(
      `decode alone, ${label} (${info.width}×${info.height}, ${info.fps.toFixed(0)} fps → ${fps} fps, ${width}×${height}): ` +
        `${median(decodeMs).toFixed(1)} ms/frame with one ffmpeg, ${median(decodeTwoMs).toFixed(1)} ms/frame with two side by side`,
    );
  }
  // Every slot's first frame, kept for the engines.
  const decoded: Frame[] = [];
  for await (const frame of readFrames(video, info, { fps, maxSide }, context.tools)) decoded.push(frame);
  // Each engine on the same frames, from the start of the video each run (tracking as in an analysis).
  const faces = new Map<string, Array<DetectedFace | null>>();
  for (const [name, model] of [
    ['face chain (ONNX Runtime)', await loadFaceModel()],
    ['Human on TensorFlow.js WASM (before)', await loadHumanFaceModel()],
  ] as const) {
    for (const frame of decoded.slice(0, 10)) await model.detect(frame); // warm-up
    const inferenceMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      model.reset();
      const found: Array<DetectedFace | null> = [];
      const started = performance.now();
      for (const frame of decoded) found.push(await model.detect(frame));
      inferenceMs.push((performance.now() - started) / decoded.length);
      faces.set(name, found);
    }
    console.log(`inference alone, ${name}, one thread: ${median(inferenceMs).toFixed(1)} ms/frame`);
  }
  // The chain in worker threads: alone, then two side by side on the same frames (both cores busy).
  const threadMs = async (threads: number) => {
    const workers = Array.from(
      { length: threads },
      () =>
        new Worker(new URL('../src/ts-worker.mjs', import.meta.url), {
          workerData: { entry: new URL('./inference-thread.ts', import.meta.url).href, frames: decoded, runs },
        }),
    );
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    const done = workers.map((worker) => new Promise<number>((resolve) => worker.once('message', resolve)));
    for (const worker of workers) worker.postMessage('go');
    const ms = await Promise.all(done);
    await Promise.all(workers.map((worker) => worker.terminate()));
    return ms;
  };
  const [inferenceOne] = (await threadMs(1)) as [number];
  const inferenceTwo = await threadMs(2);
  const inferenceTwoEach = inferenceTwo.reduce((sum, ms) => sum + ms, 0) / inferenceTwo.length;
  console.log(
    `inference alone in worker threads: one thread ${inferenceOne.toFixed(1)} ms/frame; two side by side ` +
      `${inferenceTwo.map((ms) => ms.toFixed(1)).join(' and ')} ms/frame each = ${((2 * inferenceOne) / inferenceTwoEach).toFixed(2)}× the throughput of one`,
  );
  const [ours, before] = [...faces.values()] as [Array<DetectedFace | null>, Array<DetectedFace | null>];
  const differences = { yaw: [] as number[], pitch: [] as number[], roll: [] as number[], smile: [] as number[] };
  for (let i = 0; i < decoded.length; i++) {
    if (!ours[i] || !before[i]) continue;
    const a = faceFeatures(ours[i]!, context.thresholds);
    const b = faceFeatures(before[i]!, context.thresholds);
    for (const key of ['yaw', 'pitch', 'roll', 'smile'] as const) differences[key].push(Math.abs(a[key]! - b[key]!));
  }
  const share = (found: Array<DetectedFace | null>) => ((100 * found.filter(Boolean).length) / found.length).toFixed(1);
  console.log(
    `agreement on ${decoded.length} frames: a face on ${share(ours)} % (chain) and ${share(before)} % (Human); ` +
      `median absolute difference yaw ${median(differences.yaw).toFixed(3)}°, pitch ${median(differences.pitch).toFixed(3)}°, ` +
      `roll ${median(differences.roll).toFixed(3)}°, smile ${median(differences.smile).toFixed(4)} (goal: under 1° and 0.02)`,
  );

  // Face stage alone, with warm worker pools of one and two threads.
  const stageMs: number[] = [];
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
    stageMs.push(ms);
    console.log(
      `face stage, ${workers} worker thread${workers > 1 ? 's' : ' '}: ${ms.toFixed(1)} ms/frame = ${(1000 / ms).toFixed(1)} frames/s` +
        ` (${frames} frames of ${duration.toFixed(1)} s; runs ${msPerFrame.map((v) => v.toFixed(1)).join(', ')} ms)`,
    );
  }

  // With both cores busy, a frame costs its decoding and its inference at their side-by-side rates;
  // no number of face threads can do better than the two added (each core doing half of each).
  const floorMs = decodeTwo + inferenceTwoEach / 2;
  console.log(
    `two face threads give ${(stageMs[0]! / stageMs[1]!).toFixed(2)}× the throughput of one; on this machine at most ` +
      `${(stageMs[0]! / floorMs).toFixed(2)}× (${floorMs.toFixed(1)} ms/frame: decoding ${decodeTwo.toFixed(1)} + inference ` +
      `${(inferenceTwoEach / 2).toFixed(1)}, each as fast as it goes with both cores busy)`,
  );

  // The whole analysis but transcription (decode, face, speech measures, metrics), warm, as a server's
  // analysis process runs it with the default worker count.
  const withSpeech = { ...context, speech: loadSpeechSettings({ ...process.env, DATA_DIR: dir, STT_ENGINE: 'none' }) };
  const pool = faceWorkerPool(context.faceWorkers);
  await analyze(video, withSpeech, { facePool: pool }); // warm-up
  const factors: number[] = [];
  let timeline: TimelineFrame[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = await analyze(video, withSpeech, { facePool: pool });
    factors.push((performance.now() - started) / 1000 / result.video.duration_sec);
    timeline = result.timeline;
  }
  await pool.close();
  console.log(
    `warm analysis without transcription (${context.faceWorkers} face threads): real-time factor ${median(factors).toFixed(3)} (goal ≤ 0.1; runs ${factors.map((v) => v.toFixed(3)).join(', ')})`,
  );
  // The whole path against the old one at the video's level: the analysis (frames the decoder may pick
  // up to a few source frames later, the chain) against Human on the first frame of every slot.
  type Figures = Pick<FaceFeatures, 'yaw' | 'pitch' | 'roll' | 'smile' | 'gaze'>;
  const figures = (frames: Array<Figures | null>) => {
    const found = frames.filter((frame): frame is Figures => frame !== null);
    const mid = (key: 'yaw' | 'pitch' | 'roll') => median(found.map((frame) => frame[key])).toFixed(2);
    const mean = found.reduce((sum, frame) => sum + frame.smile, 0) / found.length;
    const center = found.filter((frame) => frame.gaze === 'CENTER').length / found.length;
    return `face on ${((100 * found.length) / frames.length).toFixed(1)} %, median yaw ${mid('yaw')}° pitch ${mid('pitch')}° roll ${mid('roll')}°, mean smile ${mean.toFixed(3)}, gaze CENTER ${(100 * center).toFixed(1)} %`;
  };
  const analysed = timeline.map((frame): Figures | null =>
    frame.valid && frame.yaw !== null
      ? { yaw: frame.yaw!, pitch: frame.pitch!, roll: frame.roll!, smile: frame.smile ?? 0, gaze: frame.gaze! }
      : null,
  );
  console.log(`video level, this analysis: ${figures(analysed)}`);
  console.log(
    `video level, before (every slot's first frame, Human): ${figures(before.map((face) => face && faceFeatures(face, context.thresholds)))}`,
  );

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
