// Gemini through @google/genai, for every use in the product (transcription, feedback, questions):
// keys tried in turn, a timeout, JSON replies asked for with a response schema and validated.
// The schema is written once, in TypeBox: it is sent as JSON Schema and checks the reply.
// The API key never appears in errors or logs.
import { GoogleGenAI, type Part } from '@google/genai';
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
  /** Sends the parts, asks for JSON of `shape`, and checks the reply against `shape`. */
  generateJson<T extends TSchema>(
    parts: Part[],
    shape: T,
    options: { signal: AbortSignal; temperature?: number },
  ): Promise<Static<T>>;
}

// The JSON Schema keywords `responseJsonSchema` takes (listed in @google/genai's GenerationConfig);
// the others, such as minLength, are left to the validation of the reply.
const GEMINI_KEYWORDS = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);

type JsonSchema = Record<string, unknown>;

/**
 * A TypeBox schema as the JSON Schema Gemini accepts: TypeBox's symbol keys and unsupported keywords
 * dropped, and literals (`const`, which Gemini does not take) written as enums.
 */
export function geminiJsonSchema(schema: TSchema): JsonSchema {
  const convert = (node: JsonSchema): JsonSchema => {
    const anyOf = node.anyOf as JsonSchema[] | undefined;
    // A union of string literals is how TypeBox writes an enum.
    if (anyOf?.length && anyOf.every((member) => typeof member.const === 'string')) {
      return convert({ ...node, anyOf: undefined, type: 'string', enum: anyOf.map((member) => member.const) });
    }
    const out: JsonSchema = 'const' in node ? { enum: [node.const] } : {};
    for (const [key, value] of Object.entries(node)) {
      if (!GEMINI_KEYWORDS.has(key) || value === undefined) continue;
      if (key === 'properties' || key === '$defs') {
        out[key] = Object.fromEntries(
          Object.entries(value as JsonSchema).map(([k, v]) => [k, convert(v as JsonSchema)]),
        );
      } else if (
        Array.isArray(value) &&
        (key === 'items' || key === 'prefixItems' || key === 'anyOf' || key === 'oneOf')
      ) {
        out[key] = value.map((member: JsonSchema) => convert(member));
      } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) {
        out[key] = convert(value as JsonSchema);
      } else {
        out[key] = value;
      }
    }
    return out;
  };
  return convert(schema);
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
    async generateJson(parts, shape, { signal, temperature = 0 }) {
      const responseJsonSchema = geminiJsonSchema(shape);
      const reasons: string[] = [];
      for (const [index, client] of clients.entries()) {
        let text: string | undefined;
        try {
          const response = await client.models.generateContent({
            model: settings.model,
            contents: [{ role: 'user', parts }],
            config: { responseMimeType: 'application/json', responseJsonSchema, temperature, abortSignal: signal },
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
