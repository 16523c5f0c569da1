import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { geminiJsonSchema } from '../../src/llm/gemini.ts';

test('the TypeBox schema is sent as the JSON Schema Gemini takes: enums for literals, no unsupported keywords', () => {
  const shape = Type.Object({
    items: Type.Array(
      Type.Object({
        severity: Type.Union([Type.Literal('info'), Type.Literal('warning')], { description: 'how it reads' }),
        topic: Type.String({ minLength: 1, maxLength: 60 }),
        start_sec: Type.Optional(Type.Number({ minimum: 0 })),
        version: Type.Literal(2),
      }),
      { minItems: 2, maxItems: 12 },
    ),
  });
  assert.deepEqual(geminiJsonSchema(shape), {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        minItems: 2,
        maxItems: 12,
        items: {
          type: 'object',
          required: ['severity', 'topic', 'version'],
          properties: {
            severity: { type: 'string', enum: ['info', 'warning'], description: 'how it reads' },
            topic: { type: 'string' },
            start_sec: { type: 'number', minimum: 0 },
            version: { type: 'number', enum: [2] },
          },
        },
      },
    },
  });
  // Nothing of TypeBox's own survives serialisation, and the schema itself is left as it was.
  assert.deepEqual(JSON.parse(JSON.stringify(geminiJsonSchema(shape))), geminiJsonSchema(shape));
  assert.equal(shape.properties.items.items.properties.topic.maxLength, 60);
});
