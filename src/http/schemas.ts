// Schema pieces every resource shares. Route schemas validate requests, shape replies (so nothing
// unlisted, such as a password hash, can leak) and produce the OpenAPI document.
import { FormatRegistry, Type, type StringOptions, type TSchema } from '@sinclair/typebox';
import { ErrorReply } from './errors.ts';
import { NOT_BLANK, PATTERN_MESSAGE } from './validation.ts';

/** A UUID in either case (ids are stored in lower case: one written in upper case is the same id). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// TypeBox's compiler knows no string formats until they are registered.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
FormatRegistry.Set('uuid', (value) => UUID.test(value));
FormatRegistry.Set('email', (value) => EMAIL.test(value));
FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));
FormatRegistry.Set('uri', (value) => URL.canParse(value));

export const Uuid = (description?: string) => Type.String({ format: 'uuid', description });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601, UTC' });

/** Text that must hold more than white space (422 "must not be blank"); at least one character. */
export const NonBlankString = (options: Omit<StringOptions, 'minLength' | 'pattern'> = {}) =>
  Type.String({ minLength: 1, ...options, pattern: NOT_BLANK, [PATTERN_MESSAGE]: 'must not be blank' });

/** A string that must match `pattern`; `says` is the message for one that does not ("a date like …"). */
export const PatternString = (pattern: string, says: string, options: Omit<StringOptions, 'pattern'> = {}) =>
  Type.String({ ...options, pattern, [PATTERN_MESSAGE]: `must be ${says}` });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An optional field that may also be sent as null. */
export const OptionalNullable = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const IdParams = Type.Object({ id: Uuid() });
export const UserIdParams = Type.Object({ user_id: Uuid() });
export const UserIdQuery = Type.Object({
  user_id: Type.Optional(Uuid('Accepted as in the original API; must be your own id.')),
});

export const Pagination = Type.Object({
  skip: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});
export function page(query: { skip?: number; limit?: number }): { offset: number; limit: number } {
  return { offset: query.skip ?? 0, limit: query.limit ?? 100 };
}

/** Reply schemas for the error statuses a route can answer with. */
export function errorReplies(...statuses: number[]): Record<number, typeof ErrorReply> {
  return Object.fromEntries([401, 422, ...statuses].map((status) => [status, ErrorReply]));
}

export const NoContent = Type.Null({ description: 'No content' });
