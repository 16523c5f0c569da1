// Gemini through @google/genai, for every use in the product (transcription, feedback, questions):
// keys tried in turn, a timeout, JSON replies asked for with a response schema and validated.
// The API key never appears in errors or logs.
import { GoogleGenAI, type Part, type Schema } from '@google/genai';
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export interface GeminiSettings {
  apiKeys: string[];
  baseUrl: string | null;
  model: string;
}

/** Gemini could not give a usable answer; the message says why, without secrets. */
export class GeminiUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeminiUnavailable';
  }
}

export interface GeminiClient {
  model: string;
  /** Sends the parts, asks for JSON of `responseSchema`, and checks the reply against `shape`. */
  generateJson<T extends TSchema>(
    parts: Part[],
    responseSchema: Schema,
    shape: T,
    options: { signal: AbortSignal; temperature?: number },
  ): Promise<Static<T>>;
}

export function geminiClient(settings: GeminiSettings): GeminiClient | null {
  if (settings.apiKeys.length === 0) return null;
  const clients = settings.apiKeys.map(
    (apiKey) =>
      new GoogleGenAI({ apiKey, ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}) }),
  );
  const hideKeys = (message: string) => settings.apiKeys.reduce((text, key) => text.replaceAll(key, '***'), message);
  return {
    model: settings.model,
    async generateJson(parts, responseSchema, shape, { signal, temperature = 0 }) {
      const reasons: string[] = [];
      for (const [index, client] of clients.entries()) {
        let text: string | undefined;
        try {
          const response = await client.models.generateContent({
            model: settings.model,
            contents: [{ role: 'user', parts }],
            config: { responseMimeType: 'application/json', responseSchema, temperature, abortSignal: signal },
          });
          text = response.text;
        } catch (error) {
          reasons.push(`key ${index + 1}: ${hideKeys((error as Error).message.split('\n')[0]!).slice(0, 200)}`);
          if (signal.aborted) break;
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text ?? '');
        } catch {
          throw new GeminiUnavailable('Gemini answered with something that is not JSON');
        }
        if (!Value.Check(shape, parsed)) throw new GeminiUnavailable('Gemini answered JSON of the wrong shape');
        return parsed;
      }
      throw new GeminiUnavailable(
        signal.aborted ? 'Gemini did not answer in time' : `Gemini failed (${reasons.join('; ')})`,
      );
    },
  };
}
