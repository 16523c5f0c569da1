import type { FastifyRequest } from 'fastify';
import type { Lang } from '../config.ts';

export type { Lang } from '../config.ts';

/** An explicit choice, else the first of Korean or English in Accept-Language, else the default. */
export function requestLanguage(request: FastifyRequest, fallback: Lang, explicit?: Lang): Lang {
  if (explicit) return explicit;
  const header = request.headers['accept-language'];
  const first = header
    ?.split(',')
    .map((part) => part.trim().slice(0, 2).toLowerCase())
    .find((code): code is Lang => code === 'ko' || code === 'en');
  return first ?? fallback;
}
