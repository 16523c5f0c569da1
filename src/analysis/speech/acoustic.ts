// Acoustic measures that need no transcript: loudness, pitch (F0) and a speaking-rate estimate from
// syllable nuclei. Pure functions over 16 kHz mono samples.
import { AUDIO_SAMPLE_RATE } from '../media.ts';
import { SPEECH_THRESHOLDS, type SpeechThresholds } from '../thresholds.ts';
import type { Stretch } from './vad.ts';

export interface AcousticFrame {
  t: number;
  /** dB relative to full scale. */
  intensity_db: number;
  /** Fundamental frequency in Hz; null in unvoiced frames. */
  f0_hz: number | null;
}

const EPSILON = 1e-10;

// Pitch is searched at half the sample rate: voices stay far below 4 kHz, and it is four times cheaper.
const PITCH_RATE = AUDIO_SAMPLE_RATE / 2;

function halfRate(audio: Float32Array): Float32Array {
  const half = new Float32Array(audio.length >> 1);
  for (let i = 0; i < half.length; i++) half[i] = (audio[2 * i]! + audio[2 * i + 1]!) / 2;
  return half;
}

/** F0 by normalised autocorrelation, or null when the frame is not clearly periodic. */
function pitchOf(frame: Float32Array, thresholds: SpeechThresholds['acoustic']): number | null {
  const minLag = Math.floor(PITCH_RATE / thresholds.pitch_max_hz);
  const maxLag = Math.min(Math.ceil(PITCH_RATE / thresholds.pitch_min_hz), frame.length - 1);
  let mean = 0;
  for (const sample of frame) mean += sample;
  mean /= frame.length;
  const centred = frame.map((sample) => sample - mean);
  let best = 0;
  let bestLag = 0;
  const correlations = new Float32Array(maxLag + 2);
  for (let lag = minLag; lag <= maxLag + 1 && lag < centred.length; lag++) {
    let product = 0;
    let energyA = 0;
    let energyB = 0;
    for (let i = 0; i + lag < centred.length; i++) {
      const a = centred[i]!;
      const b = centred[i + lag]!;
      product += a * b;
      energyA += a * a;
      energyB += b * b;
    }
    const r = product / Math.sqrt(energyA * energyB + EPSILON);
    correlations[lag] = r;
    if (lag <= maxLag && r > best) [best, bestLag] = [r, lag];
  }
  if (best < thresholds.voicing_threshold || bestLag === 0) return null;
  // Parabolic interpolation around the peak for a sub-sample period.
  const left = correlations[bestLag - 1] ?? best;
  const right = correlations[bestLag + 1] ?? best;
  const shift = (left - right) / (2 * (left - 2 * best + right) || 1);
  return PITCH_RATE / (bestLag + Math.max(-0.5, Math.min(0.5, shift)));
}

/** Intensity and pitch every hop, for the frames inside the given stretches of speech. */
export function acousticFrames(
  audio: Float32Array,
  speech: Stretch[],
  thresholds: SpeechThresholds['acoustic'] = SPEECH_THRESHOLDS.acoustic,
): AcousticFrame[] {
  const size = Math.round(thresholds.frame_sec * AUDIO_SAMPLE_RATE);
  const hop = Math.round(thresholds.hop_sec * AUDIO_SAMPLE_RATE);
  const frames: AcousticFrame[] = [];
  const half = halfRate(audio);
  for (const stretch of speech) {
    const first = Math.floor((stretch.start_sec * AUDIO_SAMPLE_RATE) / hop);
    const last = Math.floor((stretch.end_sec * AUDIO_SAMPLE_RATE - size) / hop);
    for (let index = first; index <= last; index++) {
      const frame = audio.subarray(index * hop, index * hop + size);
      if (frame.length < size) break;
      let energy = 0;
      for (const sample of frame) energy += sample * sample;
      frames.push({
        t: (index * hop + size / 2) / AUDIO_SAMPLE_RATE,
        intensity_db: 10 * Math.log10(energy / size + EPSILON),
        f0_hz: pitchOf(half.subarray((index * hop) >> 1, (index * hop + size) >> 1), thresholds),
      });
    }
  }
  return frames;
}

/**
 * Syllable nuclei: local intensity peaks in voiced frames, loud enough (within a range of the
 * loudest frames) and separated from the neighbouring peaks by a dip (after de Jong & Wempe 2009).
 */
export function countSyllableNuclei(
  frames: AcousticFrame[],
  thresholds: SpeechThresholds['acoustic'] = SPEECH_THRESHOLDS.acoustic,
): number {
  if (frames.length < 3) return 0;
  // A light smoothing so that pitch-period ripple does not make peaks; more merges fast syllables.
  const half = thresholds.syllable_smoothing_frames >> 1;
  const smoothed = frames.map((_, i) => {
    const window = frames.slice(Math.max(0, i - half), i + half + 1);
    return window.reduce((sum, f) => sum + f.intensity_db, 0) / window.length;
  });
  const sorted = [...smoothed].sort((a, b) => a - b);
  const top = sorted[Math.floor(0.99 * (sorted.length - 1))]!;
  const floor = top - thresholds.syllable_peak_max_below_top_db;

  // Peaks loud enough; each must rise a full dip above the lowest point since the previous peak.
  let count = 0;
  let previousPeak = -1;
  for (let i = 1; i < smoothed.length - 1; i++) {
    const value = smoothed[i]!;
    if (!(value >= smoothed[i - 1]! && value > smoothed[i + 1]!) || value < floor) continue;
    const lowest = previousPeak < 0 ? -Infinity : Math.min(...smoothed.slice(previousPeak, i + 1));
    previousPeak = i;
    if (value - lowest >= thresholds.syllable_min_dip_db && frames[i]!.f0_hz !== null) count += 1;
  }
  return count;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const std = (values: number[]) => {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export interface VoiceMeasures {
  loudness_mean_dbfs: number | null;
  /** Standard deviation of loudness over speech: small values sound flat. */
  loudness_variation_db: number | null;
  pitch_mean_hz: number | null;
  /** Standard deviation of pitch in semitones: under about 2 sounds monotone. */
  pitch_variation_semitones: number | null;
  voiced_ratio: number | null;
}

export function voiceMeasures(frames: AcousticFrame[]): VoiceMeasures {
  if (frames.length === 0) {
    return {
      loudness_mean_dbfs: null,
      loudness_variation_db: null,
      pitch_mean_hz: null,
      pitch_variation_semitones: null,
      voiced_ratio: null,
    };
  }
  const loudness = frames.map((frame) => frame.intensity_db);
  const pitches = frames.flatMap((frame) => (frame.f0_hz === null ? [] : [frame.f0_hz]));
  const semitones = pitches.map((f0) => 12 * Math.log2(f0 / 100));
  return {
    loudness_mean_dbfs: round(mean(loudness)),
    loudness_variation_db: round(std(loudness)),
    pitch_mean_hz: pitches.length ? round(mean(pitches), 1) : null,
    pitch_variation_semitones: pitches.length ? round(std(semitones)) : null,
    voiced_ratio: round(pitches.length / frames.length, 3),
  };
}
