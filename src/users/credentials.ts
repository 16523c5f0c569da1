// How sign-up and login read an email and a password: every spelling of one address is the same
// account and the same rate-limit key, and a password is never longer than what bcrypt reads.

/** bcrypt reads at most 72 bytes of a password; anything after them would not count. */
export const MAX_PASSWORD_BYTES = 72;

// Invisible characters (zero-width spaces, BOM, joiners, bidi controls, soft hyphen…) have no place in
// an address and would make a second spelling of it.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// Unicode's White_Space, which includes what String.prototype.trim leaves (U+0085 NEXT LINE).
const SURROUNDING_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * One spelling per address: NFKC (full-width letters, NFD accents, NBSP and em-space become their plain
 * forms), invisible characters dropped, surrounding white space of any kind trimmed, lower case.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').replace(INVISIBLE, '').replace(SURROUNDING_SPACE, '').toLowerCase();
}

export const passwordBytes = (password: string): number => Buffer.byteLength(password, 'utf8');
