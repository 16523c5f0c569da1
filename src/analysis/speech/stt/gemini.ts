// Transcription by Gemini: the audio goes inline, a JSON transcript comes back.
import { Type as GeminiType } from '@google/genai';
import { Type, type Static } from '@sinclair/typebox';
import { geminiClient, GeminiUnavailable, type GeminiSettings } from '../../../llm/gemini.ts';
import { languageCode, SttUnavailable, type SttEngine } from './types.ts';
import { encodeWav } from './wav.ts';

const GeminiTranscript = Type.Object({
  language: Type.String(),
  text: Type.String(),
  segments: Type.Array(Type.Object({ start: Type.Number(), end: Type.Number(), text: Type.String() })),
});

const RESPONSE_SCHEMA = {
  type: GeminiType.OBJECT,
  properties: {
    language: { type: GeminiType.STRING, description: 'ISO 639-1 code of the spoken language' },
    text: { type: GeminiType.STRING },
    segments: {
      type: GeminiType.ARRAY,
      items: {
        type: GeminiType.OBJECT,
        properties: {
          start: { type: GeminiType.NUMBER, description: 'seconds' },
          end: { type: GeminiType.NUMBER, description: 'seconds' },
          text: { type: GeminiType.STRING },
        },
        required: ['start', 'end', 'text'],
      },
    },
  },
  required: ['language', 'text', 'segments'],
};

function instructions(language: string | null): string {
  return [
    'Transcribe this interview answer verbatim.',
    'Keep every filler and hesitation exactly as spoken (for example 음, 어, 그, 저, um, uh, like), keep repetitions and false starts, and do not correct grammar.',
    language ? `The speech is in the language with ISO code "${language}".` : 'Detect the spoken language.',
    'Split the transcript into segments of about one sentence, each with its start and end time in seconds from the beginning of the audio.',
  ].join(' ');
}

export function geminiEngine(settings: GeminiSettings): SttEngine {
  const client = geminiClient(settings)!;
  return {
    name: 'gemini',
    model: settings.model,
    async transcribe(audio, { language, signal }) {
      let transcript: Static<typeof GeminiTranscript>;
      try {
        transcript = await client.generateJson(
          [
            { inlineData: { mimeType: 'audio/wav', data: encodeWav(audio).toString('base64') } },
            { text: instructions(language) },
          ],
          RESPONSE_SCHEMA,
          GeminiTranscript,
          { signal },
        );
      } catch (error) {
        if (error instanceof GeminiUnavailable) throw new SttUnavailable(error.message);
        throw error;
      }
      return {
        text: transcript.text.trim(),
        language: languageCode(transcript.language) ?? language,
        segments: transcript.segments.map(({ start, end, text }) => ({ start, end, text: text.trim() })),
        words: null,
      };
    },
  };
}
