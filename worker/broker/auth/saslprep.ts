/**
 * The mapping and normalisation steps of SASLprep (RFC 4013 §2.1–2.2), which
 * SCRAM applies to passwords before hashing (RFC 5802 §2.2, "Normalize()"), so
 * that "I\u00ADX" and "IX", or "\u2168" and "IX", give the same SaltedPassword as
 * any other SCRAM implementation would compute.
 *
 * - non-ASCII spaces (RFC 3454 C.1.2) become U+0020;
 * - characters "commonly mapped to nothing" (RFC 3454 B.1), such as the soft
 *   hyphen and zero-width joiners, are removed;
 * - the result is normalised to NFKC.
 *
 * The prohibited-output, bidirectional and unassigned-code-point checks
 * (§2.3–2.5) are not applied: a password with a control character is hashed
 * as it is rather than refused. ASCII text is returned unchanged.
 */

const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;

/** `text` after SASLprep's mapping and NFKC steps. */
export function saslPrep(text: string): string {
  if (/^[\u0000-\u007F]*$/.test(text)) return text;
  return text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
}
