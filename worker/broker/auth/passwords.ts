/**
 * Stored passwords: `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`,
 * where hash = PBKDF2-HMAC-SHA256(SASLprep(password), salt, iterations, 32).
 * That hash is exactly SCRAM-SHA-256's SaltedPassword, so one stored string
 * serves both a plain CONNECT User Name/Password check and SCRAM enhanced
 * authentication, and the password itself is never kept.
 *
 *   pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0=
 *   (password "pencil", the salt of RFC 7677's example)
 */
import { decodeBase64, encodeBase64 } from './base64';
import { randomBytes, timingSafeEqual, utf8 } from './bytes';
import { saslPrep } from './saslprep';
import { pbkdf2Sha256, SHA256_LENGTH } from './sha256';

/** The scheme name, the first `$`-separated field. */
export const PASSWORD_SCHEME = 'pbkdf2-sha256';
/** Default PBKDF2 rounds: RFC 7677 §4's minimum for SCRAM-SHA-256. */
export const DEFAULT_ITERATIONS = 4096;
/** Bytes of random salt when none is given. */
export const DEFAULT_SALT_LENGTH = 16;
/** Largest iteration count accepted from a stored string, so a bad entry cannot stall the worker. */
export const MAX_ITERATIONS = 10_000_000;

/** A stored password taken apart; what SCRAM's server side needs for a user. */
export interface StoredPassword {
  /** PBKDF2 rounds ("i" in SCRAM). */
  iterations: number;
  /** The salt ("s" in SCRAM). */
  salt: Uint8Array;
  /** PBKDF2-HMAC-SHA256 output, 32 bytes: SCRAM's SaltedPassword. */
  saltedPassword: Uint8Array;
}

export interface HashPasswordOptions {
  /** PBKDF2 rounds; default 4096. */
  iterations?: number;
  /** Salt bytes; default 16 random bytes. Give one only for reproducible fixtures. */
  salt?: Uint8Array;
}

/** Password bytes as SCRAM hashes them: SASLprep, then UTF-8 (RFC 5802 §2.2). */
export function passwordBytes(password: string): Uint8Array {
  return utf8(saslPrep(password));
}

/** Hashes `password` into the stored format. Throws a RangeError for bad options. */
export function hashPassword(password: string, options: HashPasswordOptions = {}): string {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer from 1 to ${MAX_ITERATIONS}, not ${iterations}`);
  }
  const salt = options.salt ?? randomBytes(DEFAULT_SALT_LENGTH);
  if (salt.length === 0) throw new RangeError('salt must not be empty');
  const hash = pbkdf2Sha256(passwordBytes(password), salt, iterations, SHA256_LENGTH);
  return `${PASSWORD_SCHEME}$${iterations}$${encodeBase64(salt)}$${encodeBase64(hash)}`;
}

/** Takes a stored string apart, or returns `undefined` if it is not one this module wrote. */
export function parseStoredPassword(stored: string): StoredPassword | undefined {
  if (typeof stored !== 'string') return undefined;
  const fields = stored.split('$');
  if (fields.length !== 4) return undefined;
  const [scheme, rounds, saltText, hashText] = fields as [string, string, string, string];
  if (scheme !== PASSWORD_SCHEME) return undefined;
  if (!/^[1-9][0-9]{0,7}$/.test(rounds)) return undefined;
  const iterations = Number(rounds);
  if (iterations > MAX_ITERATIONS) return undefined;
  const salt = decodeBase64(saltText);
  const saltedPassword = decodeBase64(hashText);
  if (!salt || salt.length === 0 || !saltedPassword || saltedPassword.length !== SHA256_LENGTH) return undefined;
  return { iterations, salt, saltedPassword };
}

/**
 * Whether `password` matches `stored`. A string is SASLprepped and UTF-8
 * encoded first; bytes are hashed as they are. A malformed `stored` gives
 * false, never an exception. The final comparison is constant-time.
 */
export function verifyPassword(password: string | Uint8Array, stored: string): boolean {
  try {
    const parsed = parseStoredPassword(stored);
    if (!parsed) return false;
    const bytes = typeof password === 'string' ? passwordBytes(password) : password;
    const hash = pbkdf2Sha256(bytes, parsed.salt, parsed.iterations, SHA256_LENGTH);
    return timingSafeEqual(hash, parsed.saltedPassword);
  } catch {
    return false;
  }
}
