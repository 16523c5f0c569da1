// A short spoken answer transcribed on request (the original's POST /api/interviews/stt): the same
// transcription engines and settings as the analysis, the recording checked by ffprobe first, nothing
// kept but the text (and that only when the caller names the question it answers).
import type { FastifyBaseLogger } from 'fastify';
import { MediaError, probeAudio, readAudio, type AudioInfo, type MediaTools } from '../analysis/media.ts';
import { sttEngines, transcribe } from '../analysis/speech/index.ts';
import type { TranscriptSegment } from '../analysis/speech/stt/types.ts';
import type { AnswerAudioLimits, SpeechSettings } from '../config.ts';
import { Errors } from '../http/errors.ts';
import type { FileSink } from '../http/multipart.ts';
import type { Storage } from '../storage.ts';

/** ffprobe's names of the containers browsers and recorders write: WebM, Ogg, WAV, MP3, M4A/MP4. */
const CONTAINERS = new Set(['webm', 'matroska', 'ogg', 'wav', 'mp3', 'mp4', 'm4a', 'mov']);
/** Transcriptions running at once in this process; more wait for none and get 503 STT_BUSY. */
const MAX_RUNNING = 2;

export interface AnswerTranscript {
  text: string;
  language: string | null;
  segments: TranscriptSegment[];
  engine: string;
  model: string;
  duration_sec: number;
}

export function createAnswerTranscriber(
  settings: SpeechSettings,
  limits: AnswerAudioLimits,
  storage: Storage,
  tools: MediaTools,
  log: FastifyBaseLogger,
) {
  // Made once: a local Whisper model is loaded on first use and kept.
  const engines = sttEngines(settings);
  const maxBytes = limits.maxMb * 1024 * 1024;
  let running = 0;

  async function checkedAudio(file: string): Promise<AudioInfo> {
    let info: AudioInfo;
    try {
      info = await probeAudio(file, tools);
    } catch (error) {
      if (!(error instanceof MediaError)) throw error;
      throw error.code === 'NO_AUDIO_STREAM' ? new Errors.NoAudioStream() : new Errors.UnsupportedAudio();
    }
    if (!info.container.split(',').some((name) => CONTAINERS.has(name))) throw new Errors.UnsupportedAudio();
    if (info.durationSec > limits.maxSec) throw new Errors.AudioTooLong(info.durationSec.toFixed(1), limits.maxSec);
    return info;
  }

  const sink: FileSink = {
    maxBytes,
    receive: ({ userId, stream }) => storage.receive(userId, stream, maxBytes),
    discard: (tempPath) => storage.discard(tempPath),
  };

  return {
    sink,
    limits,
    /** Refuses at once when no engine is configured or too many run (before the upload is written). */
    checkAvailable(): void {
      if (engines.length === 0) throw new Errors.SttUnavailable();
      if (running >= MAX_RUNNING) throw new Errors.SttBusy();
    },

    /** Transcribes the recording in `file` (which the caller removes afterwards). */
    async transcribe(file: string, language: string | null): Promise<AnswerTranscript> {
      this.checkAvailable();
      running += 1;
      try {
        const info = await checkedAudio(file);
        let audio: Float32Array | null;
        try {
          audio = await readAudio(file, { hasAudio: true, durationSec: info.durationSec }, tools, limits.maxSec);
        } catch (error) {
          if (error instanceof MediaError) throw new Errors.AudioUndecodable();
          throw error;
        }
        const result = await transcribe(audio ?? new Float32Array(0), engines, {
          ...settings,
          language: language ?? settings.language,
        });
        if (!result.transcript || !result.engine) {
          // The engines' reasons (a server's answer, a model folder) are for the operator only.
          log.warn({ reason: result.message }, 'transcription of a spoken answer failed');
          throw new Errors.SttFailed();
        }
        return {
          text: result.transcript.text,
          language: result.transcript.language,
          segments: result.transcript.segments,
          engine: result.engine.name,
          model: result.engine.model,
          duration_sec: Number(info.durationSec.toFixed(3)),
        };
      } finally {
        running -= 1;
      }
    },
  };
}

export type AnswerTranscriber = ReturnType<typeof createAnswerTranscriber>;
