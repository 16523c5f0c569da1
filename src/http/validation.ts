// Request validation: TypeBox's compiled checks, with messages that say what to send, and three rules
// of our own:
// - A JSON body's properties that its schema does not name are dropped before the check, so a client
//   that sends more than we read (the original web client sends `jobTitle` beside `role`, say) is
//   served, and what is dropped can never reach a service: no mass assignment through an unlisted column.
// - Numbers in a URL (query, path) must be written as numbers: TypeBox's conversion would read `1.5`
//   as 1 and `0x2` as 2 for an integer, and serve a page the client did not ask for.
// - UUIDs are accepted in either case and handed on in lower case, the case every id is stored in.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

/** A schema's own message for a value that fails its `pattern` (the pattern itself means nothing to a client). */
export const PATTERN_MESSAGE = 'x-pattern-message';

/** A pattern for text that must hold more than white space: "   " is refused like "". */
export const NOT_BLANK = '\\S';

type Issue = FastifySchemaValidationError;
const issue = (instancePath: string, message: string, keyword: string): Issue => ({
  keyword,
  instancePath,
  schemaPath: '',
  params: {},
  message,
});

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const fromUrl = httpPart === 'querystring' || httpPart === 'params';
  return (input) => {
    if (fromUrl) {
      const issues = numbersNotWritten(schema, input);
      if (issues.length) return { error: issues };
    }
    const value =
      httpPart === 'body'
        ? input !== null && typeof input === 'object'
          ? Value.Clean(schema, input)
          : input
        : Value.Convert(schema, input);
    if (check.Check(value)) return { value: lowerCaseUuids(schema, value) };
    return { error: distinct([...check.Errors(value)].map(describe)) };
  };
};

const WHOLE_NUMBER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The URL's values for integer or number properties that are not written as such. */
function numbersNotWritten(schema: TSchema, input: unknown): Issue[] {
  if (schema.type !== 'object' || !schema.properties || input === null || typeof input !== 'object') return [];
  const issues: Issue[] = [];
  for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const value = (input as Record<string, unknown>)[name];
    if (typeof value !== 'string') continue;
    if (property.type === 'integer' && !WHOLE_NUMBER.test(value.trim())) {
      issues.push(issue(`/${name}`, 'must be a whole number', 'integer'));
    } else if (property.type === 'number' && !DECIMAL_NUMBER.test(value.trim())) {
      issues.push(issue(`/${name}`, 'must be a number', 'number'));
    }
  }
  return issues;
}

/** One issue per field and message: "" fails both a minimum length and a not-blank pattern, said once. */
function distinct(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter(({ instancePath, message }) => {
    const key = `${instancePath}\u0000${message}`;
    return !seen.has(key) && seen.add(key);
  });
}

/** Fastify's issue shape, with a message a client can act on. */
function describe(error: ValueError): Issue {
  return issue(error.path, messageFor(error), ValueErrorType[error.type]);
}

function messageFor({ type, schema, message }: ValueError): string {
  switch (type) {
    case ValueErrorType.Union: {
      const allowed = literalsOf(schema);
      if (!allowed) return message;
      const nullable = allowsNull(schema) ? ' (or null)' : '';
      return `must be one of: ${allowed.map((value) => String(value)).join(', ')}${nullable}`;
    }
    case ValueErrorType.Literal:
      return `must be ${String(schema.const)}`;
    case ValueErrorType.StringPattern:
      return typeof schema[PATTERN_MESSAGE] === 'string' ? schema[PATTERN_MESSAGE] : message;
    case ValueErrorType.StringMinLength:
      if (schema.minLength !== 1) return `must be at least ${schema.minLength} characters long`;
      return schema.pattern === NOT_BLANK ? 'must not be blank' : 'must not be empty';
    case ValueErrorType.StringMaxLength:
      return `must be at most ${schema.maxLength} characters long`;
    case ValueErrorType.StringFormat:
      return schema.format === 'uuid' ? 'must be a UUID' : `must be ${article(schema.format)} ${schema.format}`;
    case ValueErrorType.Integer:
      return 'must be a whole number';
    default:
      return message;
  }
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** The literal values a union allows, nested unions flattened and null left out; undefined if it allows others. */
function literalsOf(schema: TSchema): unknown[] | undefined {
  if (!Array.isArray(schema.anyOf)) return undefined;
  const values: unknown[] = [];
  for (const member of schema.anyOf as TSchema[]) {
    if ('const' in member) values.push(member.const);
    else if (member.type === 'null') continue;
    else if (Array.isArray(member.anyOf)) {
      const nested = literalsOf(member);
      if (!nested) return undefined;
      values.push(...nested);
    } else return undefined;
  }
  return values.length ? values : undefined;
}

function allowsNull(schema: TSchema): boolean {
  return (schema.anyOf as TSchema[]).some((member) => member.type === 'null' || (member.anyOf && allowsNull(member)));
}

/** The value with every string its schema calls a UUID in lower case (objects are changed in place). */
function lowerCaseUuids(schema: TSchema, value: unknown): unknown {
  if (typeof value === 'string') {
    return isUuidSchema(schema) ? value.toLowerCase() : value;
  }
  if (Array.isArray(value)) {
    if (schema.items && !Array.isArray(schema.items)) {
      for (let i = 0; i < value.length; i++) value[i] = lowerCaseUuids(schema.items as TSchema, value[i]);
    }
    return value;
  }
  if (value !== null && typeof value === 'object' && schema.properties) {
    const record = value as Record<string, unknown>;
    for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
      if (name in record) record[name] = lowerCaseUuids(property, record[name]);
    }
  }
  return value;
}

function isUuidSchema(schema: TSchema): boolean {
  if (schema.format === 'uuid') return true;
  return Array.isArray(schema.anyOf) && (schema.anyOf as TSchema[]).some(isUuidSchema);
}
