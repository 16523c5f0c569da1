// Transcription by Gemini through @google/genai: the audio goes inline, a JSON transcript comes back
// (a response schema asks for it, and the reply is validated). Keys are tried in order.
import { GoogleGenAI, Type as GeminiType } from '@google/genai';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
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

export function geminiEngine(options: { apiKeys: string[]; baseUrl: string | null; model: string }): SttEngine {
  const clients = options.apiKeys.map(
    (apiKey) => new GoogleGenAI({ apiKey, ...(options.baseUrl ? { httpOptions: { baseUrl: options.baseUrl } } : {}) }),
  );
  return {
    name: 'gemini',
    model: options.model,
    async transcribe(audio, { language, signal }) {
      const reasons: string[] = [];
      for (const [index, client] of clients.entries()) {
        let text: string | undefined;
        try {
          const response = await client.models.generateContent({
            model: options.model,
            contents: [
              {
                role: 'user',
                parts: [
                  { inlineData: { mimeType: 'audio/wav', data: encodeWav(audio).toString('base64') } },
                  { text: instructions(language) },
                ],
              },
            ],
            config: { responseMimeType: 'application/json', responseSchema: RESPONSE_SCHEMA, temperature: 0, abortSignal: signal },
          });
          text = response.text;
        } catch (error) {
          // Never echo the key: report which key (by position) failed and the status text only.
          const message = (error as Error).message.split('\n')[0]!.replaceAll(options.apiKeys[index]!, '***');
          reasons.push(`key ${index + 1}: ${message.slice(0, 200)}`);
          if (signal.aborted) break;
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text ?? '');
        } catch {
          throw new SttUnavailable('Gemini answered with something that is not a JSON transcript');
        }
        if (!Value.Check(GeminiTranscript, parsed)) throw new SttUnavailable('Gemini answered JSON without the transcript fields');
        const transcript: Static<typeof GeminiTranscript> = parsed;
        return {
          text: transcript.text.trim(),
          language: languageCode(transcript.language) ?? language,
          segments: transcript.segments.map(({ start, end, text: segment }) => ({ start, end, text: segment.trim() })),
          words: null,
        };
      }
      throw new SttUnavailable(`Gemini transcription failed (${reasons.join('; ')})`);
    },
  };
}
