import type { FastifyRequest } from 'fastify';
import type { Lang } from '../config.ts';

export type { Lang } from '../config.ts';

const LANGS: readonly Lang[] = ['ko', 'en'];

/**
 * An explicit choice, else Korean or English as Accept-Language ranks them (RFC 9110: the highest
 * q-value wins, q=0 means "never this one", a range matches by its primary subtag exactly, so `ko-KR`
 * is Korean and `kok` is Konkani, and `*` stands for any language the header does not name), else the
 * fallback. Between two equal weights, a language named beats one reached through `*`, then the
 * earlier range wins; the fallback is never chosen against a q=0.
 */
export function requestLanguage(request: FastifyRequest, fallback: Lang, explicit?: Lang): Lang {
  if (explicit) return explicit;
  const header = request.headers['accept-language'];
  if (!header) return fallback;
  const ranges = new Map<string, { q: number; position: number }>();
  header.split(',').forEach((range, position) => {
    const [tag = '', ...params] = range.split(';').map((piece) => piece.trim());
    const primary = tag.toLowerCase().split('-')[0]!;
    const q = qValue(params);
    // The first range of a language decides (`ko, ko-KR;q=0` still takes Korean).
    if (primary && q !== null && !ranges.has(primary)) ranges.set(primary, { q, position });
  });
  const weighed = LANGS.map((lang) => {
    const named = ranges.get(lang);
    const weight = named ?? ranges.get('*');
    return { lang, named: Boolean(named), q: weight?.q, position: weight?.position ?? Infinity };
  });
  const wanted = weighed
    .filter((candidate) => candidate.q !== undefined && candidate.q > 0)
    .sort((a, b) => b.q! - a.q! || Number(b.named) - Number(a.named) || a.position - b.position);
  const [first, second] = wanted;
  if (first && !(second && second.q === first.q && !first.named && !second.named)) return first.lang;
  if (first) return fallback; // both through `*` alike
  const refused = (lang: Lang) => weighed.find((candidate) => candidate.lang === lang)!.q === 0;
  const other = LANGS.find((lang) => lang !== fallback)!;
  return refused(fallback) && !refused(other) ? other : fallback;
}

/** The range's q-value (1 when absent); null when it is malformed, which drops the range. */
function qValue(params: string[]): number | null {
  const q = params.find((param) => /^q\s*=/i.test(param));
  if (q === undefined) return 1;
  const value = q.slice(q.indexOf('=') + 1).trim();
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return null;
  return Number(value);
}
