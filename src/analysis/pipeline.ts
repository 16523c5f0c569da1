// The analysis as a library: analyze(file, context, options) → AnalysisResult. The command line, the
// job worker and the tests all call this one function; it knows nothing of HTTP or databases, and reads
// no setting itself: the caller builds the context from the config.
import type { AnalysisContext } from './context.ts';
import { faceWorkerPool, type FaceWorkerPool } from './face-pool.ts';
import { probe, readAudio, type VideoInfo } from './media.ts';
import { analysisMetadata, type AnalysisMetadata } from './metadata.ts';
import { faceMetrics, type FaceMetrics } from './metrics.ts';
import { analyzeSpeech, type SpeechAnalysis, type SpeechMeasures, type Transcript } from './speech/index.ts';
import { rejectPoseOutliers, type TimelineFrame } from './timeline.ts';

export type Stage = 'probe' | 'face' | 'speech' | 'metrics' | 'done';
export type ProgressListener = (update: { stage: Stage; progress: number }) => void;

export interface AnalyzeOptions {
  /** Worker threads to run the face model in; a pool kept by the caller is reused across calls. */
  facePool?: FaceWorkerPool;
  onProgress?: ProgressListener;
  /** Progress of model files downloaded on first use. */
  onDownload?: (file: string, progress: number) => void;
}

export interface AnalysisMetrics extends FaceMetrics {
  /** Words per minute over the whole video and filler count, as the original; null without a transcript. */
  wpm: number | null;
  filler_count: number | null;
  /** Pace, pauses, fillers and voice; null when the speech stage was skipped. */
  speech: SpeechMeasures | null;
  metadata: AnalysisMetadata;
}

export interface AnalysisResult {
  video: {
    duration_sec: number;
    fps: number;
    width: number;
    height: number;
    rotation_deg: number;
    codec: string;
    has_audio: boolean;
  };
  metrics: AnalysisMetrics;
  transcript: Transcript | null;
  timeline: TimelineFrame[];
}

/** Splits [0, duration) into `parts` stretches that start on frame-slot boundaries. */
function stretches(durationSec: number, parts: number, fps: number): Array<{ startSec: number; endSec?: number }> {
  const slots = Math.ceil(durationSec * fps);
  const count = Math.max(1, Math.min(parts, Math.floor(slots / (2 * fps)))); // at least 2 s each
  return Array.from({ length: count }, (_, i) => ({
    startSec: Math.round((slots * i) / count) / fps,
    endSec: i === count - 1 ? undefined : Math.round((slots * (i + 1)) / count) / fps,
  }));
}

export async function analyze(
  file: string,
  context: AnalysisContext,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const { thresholds, tools } = context;
  const onProgress = options.onProgress ?? (() => {});
  onProgress({ stage: 'probe', progress: 0 });
  const info: VideoInfo = await probe(file, tools);

  const pool = options.facePool ?? faceWorkerPool(context.faceWorkers);
  const fps = thresholds.analysis_fps;
  const expected = Math.max(1, Math.ceil(info.durationSec * fps));
  let raw: TimelineFrame[] = [];
  // The speech stage runs beside the face stage: its models are native code off this thread.
  const speechSettings = context.speech;
  const speechDone: Promise<SpeechAnalysis | null> = speechSettings
    ? (async () => {
        onProgress({ stage: 'speech', progress: 0 });
        const audio = await readAudio(file, info, tools);
        const result = await analyzeSpeech(audio, info.durationSec, speechSettings, options.onDownload);
        onProgress({ stage: 'speech', progress: 1 });
        return result;
      })()
    : Promise.resolve(null);
  speechDone.catch(() => {}); // awaited below; a face-stage failure must not leave it unhandled
  try {
    onProgress({ stage: 'face', progress: 0 });
    // Every stretch settles before any failure is thrown: the pool may be closed next, and ending a face
    // thread while ONNX Runtime infers aborts the whole process.
    const settled = await Promise.allSettled(
      stretches(info.durationSec, pool.size, fps).map((stretch) =>
        pool.run({ file, info, thresholds, tools, ...stretch }, (frame) => {
          raw.push(frame);
          onProgress({ stage: 'face', progress: Math.min(1, raw.length / expected) });
        }),
      ),
    );
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    onProgress({ stage: 'face', progress: 1 });
  } finally {
    if (!options.facePool) await pool.close();
  }

  const speech = await speechDone;
  onProgress({ stage: 'metrics', progress: 0 });
  // Stretches meet on slot boundaries; should both ends yield a frame for one slot, keep the first.
  const slot = (frame: TimelineFrame) => Math.floor(frame.t * fps + 1e-6);
  raw = raw.sort((a, b) => a.t - b.t).filter((frame, i, all) => i === 0 || slot(frame) !== slot(all[i - 1]!));
  const timeline = rejectPoseOutliers(raw, thresholds);
  const durationSec = info.durationSec;
  const metrics = faceMetrics(timeline, { durationSec, frameIntervalSec: 1 / fps }, thresholds);
  const metadata = analysisMetadata({ timeline, durationSec, thresholds, speech });

  onProgress({ stage: 'done', progress: 1 });
  return {
    video: {
      duration_sec: durationSec,
      fps: info.fps,
      width: info.width,
      height: info.height,
      rotation_deg: info.rotationDeg,
      codec: info.codec,
      has_audio: info.hasAudio,
    },
    metrics: {
      ...metrics,
      wpm: speech?.wpm ?? null,
      filler_count: speech?.filler_count ?? null,
      speech: speech?.speech ?? null,
      metadata,
    },
    transcript: speech?.transcript ?? null,
    timeline,
  };
}
