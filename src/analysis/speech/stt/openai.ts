// Any OpenAI-compatible transcription server (OpenAI, whisper.cpp server, faster-whisper servers):
// POST {base}/v1/audio/transcriptions, multipart, verbose JSON with segment and word times.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SPEECH_THRESHOLDS } from '../../thresholds.ts';
import { languageCode, SttUnavailable, type SttEngine } from './types.ts';
import { encodeWav } from './wav.ts';

const VerboseTranscription = Type.Object({
  text: Type.String(),
  language: Type.Optional(Type.String()),
  segments: Type.Optional(Type.Array(Type.Object({ start: Type.Number(), end: Type.Number(), text: Type.String() }))),
  words: Type.Optional(Type.Array(Type.Object({ word: Type.String(), start: Type.Number(), end: Type.Number() }))),
});
type VerboseTranscription = Static<typeof VerboseTranscription>;

export function openaiEngine(options: { url: string; apiKey: string | null; model: string }): SttEngine {
  const endpoint = `${options.url.replace(/\/v1$/, '')}/v1/audio/transcriptions`;
  return {
    name: 'openai',
    model: options.model,
    async transcribe(audio, { language, signal }) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(encodeWav(audio))], { type: 'audio/wav' }), 'answer.wav');
      form.append('model', options.model);
      form.append('response_format', 'verbose_json');
      form.append('timestamp_granularities[]', 'segment');
      form.append('timestamp_granularities[]', 'word');
      form.append('temperature', '0');
      if (language) {
        form.append('language', language);
        // A short prompt written with fillers keeps the transcriber from tidying them away.
        const prompt = SPEECH_THRESHOLDS.filler_prompt[language as 'ko' | 'en'];
        if (prompt) form.append('prompt', prompt);
      }
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          body: form,
          headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
          signal,
        });
      } catch (error) {
        throw new SttUnavailable(`transcription server at ${endpoint} did not answer: ${(error as Error).message}`);
      }
      if (!response.ok) {
        throw new SttUnavailable(
          `transcription server answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
        );
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new SttUnavailable('transcription server answered with something that is not JSON');
      }
      if (!Value.Check(VerboseTranscription, body)) {
        throw new SttUnavailable('transcription server answered JSON without the verbose transcription fields');
      }
      const result: VerboseTranscription = body;
      return {
        text: result.text.trim(),
        language: languageCode(result.language) ?? language,
        segments: (result.segments ?? []).map(({ start, end, text }) => ({ start, end, text: text.trim() })),
        words: result.words?.map(({ word, start, end }) => ({ word: word.trim(), start, end })) ?? null,
      };
    },
  };
}
