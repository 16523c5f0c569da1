import type { Word } from '../fillers.ts';

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  text: string;
  /** ISO 639-1 code when the engine says. */
  language: string | null;
  segments: TranscriptSegment[];
  /** Words with times, when the engine gives them. */
  words: Word[] | null;
}

export interface TranscribeOptions {
  /** Forced language, or null to detect. */
  language: string | null;
  signal: AbortSignal;
}

export interface SttEngine {
  name: 'whisper' | 'openai' | 'gemini';
  model: string;
  transcribe(audio: Float32Array, options: TranscribeOptions): Promise<Transcript>;
}

/** An engine that could not do its work: the message says why, for the result's stt_status. */
export class SttUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SttUnavailable';
  }
}

const LANGUAGE_NAMES: Record<string, string> = { english: 'en', korean: 'ko', japanese: 'ja', chinese: 'zh' };

/** Engines name languages as codes ("ko") or in English ("korean"); results use codes. */
export function languageCode(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const lower = value.toLowerCase();
  return LANGUAGE_NAMES[lower] ?? lower;
}
