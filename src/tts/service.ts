// Questions read aloud: speech made once per question text and voice by the configured engine, kept in
// the owner's folder (it may quote their portfolio, so it goes with the account), and served to the
// owner only — with the Authorization header or through a short-lived signed URL for an `<audio src>`.
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { TtsSettings } from '../config.ts';
import { Errors } from '../http/errors.ts';
import type { MediaUrlSigner, SignedMediaQuery } from '../http/media-url.ts';
import type { ByteRange, Storage } from '../storage.ts';
import { ttsEngine, TtsUnavailable, type TtsEngine } from './engines.ts';

const KIND = 'question-speech';
const EXTENSIONS: Record<string, string> = { 'audio/mpeg': '.mp3', 'audio/wav': '.wav' };
export const CONTENT_TYPES: Record<string, string> = { '.mp3': 'audio/mpeg', '.wav': 'audio/wav' };
/** What a signed URL for a question's speech signs: its own namespace, so it never opens a video. */
export const speechResource = (questionId: string) => `${KIND}:${questionId}`;

export interface QuestionSpeech {
  /** Its key among the owner's files. */
  file: string;
  contentType: string;
  engine: string;
  voice: string;
}

export function createQuestionSpeech(
  settings: TtsSettings,
  storage: Storage,
  mediaUrls: MediaUrlSigner,
  log: FastifyBaseLogger,
  engine: TtsEngine | null = ttsEngine(settings),
) {
  // Two requests for the same speech share one generation.
  const making = new Map<string, Promise<QuestionSpeech>>();
  const keyOf = (tts: TtsEngine, text: string) =>
    createHash('sha256')
      .update(JSON.stringify([tts.name, tts.model, tts.voice, text]))
      .digest('hex')
      .slice(0, 32);

  async function cached(userId: string, key: string, tts: TtsEngine): Promise<QuestionSpeech | null> {
    for (const [extension, contentType] of Object.entries(CONTENT_TYPES)) {
      const file = storage.userFileKey(userId, KIND, key + extension);
      if ((await storage.size(file)) !== null) return { file, contentType, engine: tts.name, voice: tts.voice };
    }
    return null;
  }

  async function make(userId: string, key: string, text: string, tts: TtsEngine): Promise<QuestionSpeech> {
    let speech;
    try {
      speech = await tts.speak(text, AbortSignal.timeout(settings.timeoutSec * 1000));
    } catch (error) {
      if (!(error instanceof TtsUnavailable)) throw error;
      log.warn({ engine: tts.name, reason: error.message }, 'speech for a question failed');
      throw new Errors.TtsFailed();
    }
    const file = await storage.writeUserFile(userId, KIND, key + EXTENSIONS[speech.contentType], speech.audio);
    return { file, contentType: speech.contentType, engine: tts.name, voice: tts.voice };
  }

  return {
    engineName: engine?.name ?? 'none',

    /** The speech for the question's text: from the cache, else made now. */
    async speechFor(userId: string, text: string): Promise<QuestionSpeech> {
      if (!engine) throw new Errors.TtsUnavailable();
      const key = keyOf(engine, text);
      const found = await cached(userId, key, engine);
      if (found) return found;
      const id = `${userId}/${key}`;
      let pending = making.get(id);
      if (!pending) {
        pending = make(userId, key, text, engine).finally(() => making.delete(id));
        making.set(id, pending);
      }
      return pending;
    },

    read: (speech: QuestionSpeech, range?: ByteRange) => storage.read(speech.file, range),

    async size(speech: QuestionSpeech): Promise<number> {
      const size = await storage.size(speech.file);
      if (size === null) throw new Errors.NotFound('Question speech');
      return size;
    },

    sign: (userId: string, questionId: string): SignedMediaQuery => mediaUrls.sign(speechResource(questionId), userId),
  };
}

export type QuestionSpeechService = ReturnType<typeof createQuestionSpeech>;
