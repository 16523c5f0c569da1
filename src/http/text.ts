// Text as clients send it, made into text we store and echo the same way on every database.

/** Longer upload file names are shortened (most file systems allow 255). */
const MAX_FILENAME_CHARS = 255;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 and C1 controls (NUL, tabs, newlines, escape…) and the bidirectional overrides and isolates that
// make a name display as something else ("evil\u202Efdp.mp4" shows as "evil4pm.pdf").
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/**
 * An upload's file name as it is stored and echoed: without control characters and lone surrogates,
 * in NFC (a macOS NFD name and its NFC twin are one name), at most MAX_FILENAME_CHARS characters with
 * its extension kept.
 */
export function cleanFilename(name: string): string {
  const clean = [...name.replace(LONE_SURROGATE, '').replace(CONTROL, '').normalize('NFC')];
  if (clean.length <= MAX_FILENAME_CHARS) return clean.join('');
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : [];
  return [...clean.slice(0, MAX_FILENAME_CHARS - extension.length), ...extension].join('');
}

/**
 * Lone surrogates (which JSON's \uD800 escapes can carry) as U+FFFD. Both databases' drivers would
 * store U+FFFD anyway; doing it first makes the reply to a write the same as every later read.
 */
export function withoutLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
