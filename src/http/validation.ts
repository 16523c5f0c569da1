// Request validation: TypeBox's compiled checks, with one leniency the original API had. A JSON body's
// properties that its schema does not name are dropped before the check, so a client that sends more
// than we read (the original web client sends `jobTitle` beside `role`, say) is served, and what is
// dropped can never reach a service: no mass assignment through an unlisted column.
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const check = TypeBoxValidatorCompiler(route);
  if (route.httpPart !== 'body') return check;
  const schema = route.schema;
  return (body) => check(body !== null && typeof body === 'object' ? Value.Clean(schema, body) : body);
};
