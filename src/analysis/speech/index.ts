// The speech stage: voice activity, acoustic measures, transcription (if an engine is available) and
// the measures of pace and fillers. Expected outcomes (no audio, no speech, no engine, an engine that
// fails) are results with a status, never exceptions.
import type { SpeechSettings } from '../../config.ts';
import { SPEECH_THRESHOLDS } from '../thresholds.ts';
import { acousticFrames, countSyllableNuclei, voiceMeasures, type VoiceMeasures } from './acoustic.ts';
import { findFillers, wordsOf, type Filler } from './fillers.ts';
import { pace, segmentPace, type SegmentPace } from './pace.ts';
import { geminiEngine } from './stt/gemini.ts';
import { openaiEngine } from './stt/openai.ts';
import { SttUnavailable, type SttEngine, type Transcript } from './stt/types.ts';
import { whisperEngine } from './stt/whisper.ts';
import { pausesBetween, speechProbabilities, speechStretches, type Pause, type Stretch } from './vad.ts';

export type { Transcript } from './stt/types.ts';

export type SttStatus = 'ok' | 'no_audio' | 'no_speech' | 'disabled' | 'failed';

export interface SpeechMeasures {
  stt_status: SttStatus;
  /** Why there is no transcript, or which engines failed before one worked. */
  stt_message: string | null;
  stt_engine: string | null;
  stt_model: string | null;
  language: string | null;
  speaking_time_sec: number | null;
  /** Speaking time over the whole duration. */
  speech_ratio: number | null;
  time_to_first_word_sec: number | null;
  speech_segments: Stretch[];
  pauses: Pause[];
  pause_count: number;
  longest_pause_sec: number | null;
  word_count: number | null;
  wpm_speaking: number | null;
  syllables_per_sec: number | null;
  /**
   * The pace of each transcript segment (see segmentPace), for feedback to point at a stretch outside
   * the range; empty without a transcript, absent from results stored before it was measured.
   */
  pace_segments?: SegmentPace[];
  /** From syllable nuclei in the sound alone; an estimate, available without a transcript. */
  syllables_per_sec_estimated: number | null;
  fillers: Filler[];
  voice: VoiceMeasures;
}

export interface SpeechAnalysis {
  /** The original's fields: null without a transcript. */
  wpm: number | null;
  filler_count: number | null;
  speech: SpeechMeasures;
  transcript: Transcript | null;
}

/** The engines to try, in order: the one named, or for `auto` every configured one. */
export function sttEngines(
  settings: SpeechSettings,
  onDownload?: (file: string, progress: number) => void,
): SttEngine[] {
  const openai = settings.openaiUrl
    ? openaiEngine({ url: settings.openaiUrl, apiKey: settings.openaiApiKey, model: settings.openaiModel })
    : null;
  const gemini = settings.gemini.apiKeys.length ? geminiEngine(settings.gemini) : null;
  const whisper = whisperEngine({
    model: settings.whisperModel,
    modelDir: settings.whisperModelDir,
    cacheDir: settings.cacheDir,
    onDownload,
  });
  switch (settings.engine) {
    case 'none':
      return [];
    case 'whisper':
      return [whisper];
    case 'openai':
      return openai ? [openai] : [];
    case 'gemini':
      return gemini ? [gemini] : [];
    case 'auto':
      return [openai, gemini, whisper].filter((engine): engine is SttEngine => engine !== null);
  }
}

function guessLanguage(text: string): string | null {
  if (/[\uAC00-\uD7A3]/u.test(text)) return 'ko';
  if (/[a-z]/iu.test(text)) return 'en';
  return null;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const EMPTY_VOICE = voiceMeasures([]);

/** Tries the engines in turn; an expected failure is a status with a message, never a throw. */
export async function transcribe(
  audio: Float32Array,
  engines: SttEngine[],
  settings: SpeechSettings,
): Promise<{ transcript: Transcript | null; engine: SttEngine | null; status: SttStatus; message: string | null }> {
  if (engines.length === 0) {
    const message =
      settings.engine === 'none'
        ? 'Transcription is switched off (STT_ENGINE=none).'
        : `STT_ENGINE=${settings.engine} is not configured (see README: STT_OPENAI_URL, GEMINI_API_KEY).`;
    return { transcript: null, engine: null, status: 'disabled', message };
  }
  const failures: string[] = [];
  for (const engine of engines) {
    const signal = AbortSignal.timeout(settings.timeoutSec * 1000);
    try {
      const timedOut = new Promise<never>((_, reject) =>
        signal.addEventListener(
          'abort',
          () => reject(new SttUnavailable(`no answer within ${settings.timeoutSec} s`)),
          { once: true },
        ),
      );
      const transcript = await Promise.race([
        engine.transcribe(audio, { language: settings.language, signal }),
        timedOut,
      ]);
      return { transcript, engine, status: 'ok', message: failures.length ? failures.join(' ') : null };
    } catch (error) {
      const reason =
        error instanceof SttUnavailable || signal.aborted
          ? (error as Error).message
          : `unexpected error: ${(error as Error).message}`;
      failures.push(`${engine.name} (${engine.model}): ${reason.replace(/\.$/, '')}.`);
    }
  }
  return { transcript: null, engine: null, status: 'failed', message: failures.join(' ') };
}

export async function analyzeSpeech(
  audio: Float32Array | null,
  durationSec: number,
  settings: SpeechSettings,
  onDownload?: (file: string, progress: number) => void,
): Promise<SpeechAnalysis> {
  const base = {
    stt_engine: null,
    stt_model: null,
    language: null,
    speech_segments: [],
    pauses: [],
    pause_count: 0,
    longest_pause_sec: null,
    word_count: null,
    wpm_speaking: null,
    syllables_per_sec: null,
    pace_segments: [],
    fillers: [],
  };
  if (!audio || audio.length === 0) {
    return {
      wpm: null,
      filler_count: null,
      transcript: null,
      speech: {
        ...base,
        stt_status: 'no_audio',
        stt_message: 'The video has no audio track.',
        speaking_time_sec: null,
        speech_ratio: null,
        time_to_first_word_sec: null,
        syllables_per_sec_estimated: null,
        voice: EMPTY_VOICE,
      },
    };
  }

  const stretches = speechStretches(await speechProbabilities(audio));
  const pauses = pausesBetween(stretches);
  const speakingTime = stretches.reduce((sum, s) => sum + s.end_sec - s.start_sec, 0);
  const frames = acousticFrames(audio, stretches);
  const acoustic = {
    speaking_time_sec: round(speakingTime),
    speech_ratio: durationSec > 0 ? round(speakingTime / durationSec) : null,
    time_to_first_word_sec: stretches[0]?.start_sec ?? null,
    speech_segments: stretches,
    pauses,
    pause_count: pauses.length,
    longest_pause_sec: pauses.length ? Math.max(...pauses.map((p) => p.duration_sec)) : null,
    syllables_per_sec_estimated: speakingTime > 0 ? round(countSyllableNuclei(frames) / speakingTime, 2) : null,
    voice: voiceMeasures(frames),
  };

  if (stretches.length === 0) {
    return {
      wpm: 0,
      filler_count: 0,
      transcript: null,
      speech: { ...base, ...acoustic, stt_status: 'no_speech', stt_message: 'No speech was heard in the audio.' },
    };
  }

  const { transcript, engine, status, message } = await transcribe(audio, sttEngines(settings, onDownload), settings);
  if (!transcript || !engine) {
    return {
      wpm: null,
      filler_count: null,
      transcript: null,
      speech: { ...base, ...acoustic, stt_status: status, stt_message: message },
    };
  }
  const language = transcript.language ?? guessLanguage(transcript.text);
  const measures = pace(transcript.text, durationSec, speakingTime);
  const fillers = findFillers(
    transcript.words ?? wordsOf(transcript.text),
    SPEECH_THRESHOLDS.fillers.hesitation_pause_sec,
  );
  return {
    wpm: measures.wpm,
    filler_count: fillers.length,
    transcript: { ...transcript, language },
    speech: {
      ...base,
      ...acoustic,
      stt_status: status,
      stt_message: message,
      stt_engine: engine.name,
      stt_model: engine.model,
      language,
      word_count: measures.word_count,
      wpm_speaking: measures.wpm_speaking,
      syllables_per_sec: measures.syllables_per_sec,
      pace_segments: segmentPace(transcript.segments, stretches, durationSec, transcript.text),
      fillers,
    },
  };
}
