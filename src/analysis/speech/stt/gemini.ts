// Transcription by Gemini: the audio goes inline, a JSON transcript comes back.
import { Type, type Static } from '@sinclair/typebox';
import { geminiClient, GeminiUnavailable, type GeminiSettings } from '../../../llm/gemini.ts';
import { languageCode, SttUnavailable, type SttEngine } from './types.ts';
import { encodeWav } from './wav.ts';

const GeminiTranscript = Type.Object({
  language: Type.String({ description: 'ISO 639-1 code of the spoken language' }),
  text: Type.String(),
  segments: Type.Array(
    Type.Object({
      start: Type.Number({ description: 'seconds' }),
      end: Type.Number({ description: 'seconds' }),
      text: Type.String(),
    }),
  ),
});

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
