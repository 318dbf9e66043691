import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../../../worker/broker/auth/base64';
import {
  DEFAULT_ITERATIONS,
  hashPassword,
  parseStoredPassword,
  passwordBytes,
  verifyPassword,
} from '../../../../../worker/broker/auth/passwords';

const RFC7677_SALT = decodeBase64('W22ZaJ0SNY7soEsUEjb6gQ==')!;
/** "pencil" with RFC 7677's salt and 4096 rounds: the SaltedPassword of its example exchange. */
const PENCIL = 'pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0=';

describe('hashPassword', () => {
  it('writes pbkdf2-sha256$<iterations>$<salt>$<hash>', () => {
    expect(hashPassword('pencil', { salt: RFC7677_SALT })).toBe(PENCIL);
  });

  it('hashes with PBKDF2-HMAC-SHA256 (checked against node:crypto)', () => {
    const salt = new TextEncoder().encode('NaCl');
    const stored = hashPassword('correct horse', { salt, iterations: 10 });
    const expected = pbkdf2Sync('correct horse', salt, 10, 32, 'sha256').toString('base64');
    expect(stored).toBe(`pbkdf2-sha256$10$TmFDbA==$${expected}`);
  });

  it('defaults to 4096 rounds and a fresh 16-byte salt each time', () => {
    const a = parseStoredPassword(hashPassword('secret'))!;
    const b = parseStoredPassword(hashPassword('secret'))!;
    expect(a.iterations).toBe(DEFAULT_ITERATIONS);
    expect(a.salt).toHaveLength(16);
    expect(a.salt).not.toEqual(b.salt);
    expect(a.saltedPassword).not.toEqual(b.saltedPassword);
  });

  it.each([0, -1, 1.5, Number.NaN, 20_000_000])('refuses %s iterations', (iterations) => {
    expect(() => hashPassword('x', { iterations })).toThrow(RangeError);
  });

  it('refuses an empty salt', () => {
    expect(() => hashPassword('x', { salt: new Uint8Array(0) })).toThrow(RangeError);
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses others', () => {
    expect(verifyPassword('pencil', PENCIL)).toBe(true);
    expect(verifyPassword('Pencil', PENCIL)).toBe(false);
    expect(verifyPassword('pencil ', PENCIL)).toBe(false);
    expect(verifyPassword('', PENCIL)).toBe(false);
  });

  it('takes password bytes as they are (an MQTT CONNECT password is binary data)', () => {
    expect(verifyPassword(new TextEncoder().encode('pencil'), PENCIL)).toBe(true);
    expect(verifyPassword(new Uint8Array([0xff, 0x00]), PENCIL)).toBe(false);
    const binary = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    const stored = `pbkdf2-sha256$5$AAAA$${pbkdf2Sync(binary, new Uint8Array(3), 5, 32, 'sha256').toString('base64')}`;
    expect(verifyPassword(binary, stored)).toBe(true);
  });

  it('round-trips non-ASCII passwords', () => {
    const stored = hashPassword('pässwörd 🔑', { iterations: 2 });
    expect(verifyPassword('pässwörd 🔑', stored)).toBe(true);
    expect(verifyPassword('passwörd 🔑', stored)).toBe(false);
  });

  it('applies SASLprep mapping and NFKC to string passwords, as SCRAM clients do (RFC 4013 §3)', () => {
    const stored = hashPassword('IX', { iterations: 2 });
    expect(verifyPassword('I\u00ADX', stored)).toBe(true); // soft hyphen maps to nothing
    expect(verifyPassword('\u2168', stored)).toBe(true); // ROMAN NUMERAL NINE, NFKC → "IX"
    expect(verifyPassword('a\u00A0b', hashPassword('a b', { iterations: 2 }))).toBe(true); // NBSP → space
    expect(verifyPassword('e\u0301', hashPassword('\u00E9', { iterations: 2 }))).toBe(true); // composed form
    expect(passwordBytes('pencil')).toEqual(new TextEncoder().encode('pencil'));
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$4096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['too few fields', 'pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ=='],
    ['too many fields', `${PENCIL}$x`],
    ['zero iterations', 'pbkdf2-sha256$0$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['leading zero', 'pbkdf2-sha256$04096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['absurd iterations', 'pbkdf2-sha256$99999999$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['iterations not a number', 'pbkdf2-sha256$lots$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['salt not base64', 'pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['empty salt', 'pbkdf2-sha256$4096$$xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0='],
    ['short hash', 'pbkdf2-sha256$4096$W22ZaJ0SNY7soEsUEjb6gQ==$xKSVEDI6tPlSysH6mUQZOQ=='],
  ])('is false, without throwing, for a malformed stored string: %s', (_name, stored) => {
    expect(parseStoredPassword(stored)).toBeUndefined();
    expect(verifyPassword('pencil', stored)).toBe(false);
  });

  it('is false for a stored value that is not a string at all', () => {
    expect(verifyPassword('pencil', undefined as unknown as string)).toBe(false);
    expect(verifyPassword('pencil', 42 as unknown as string)).toBe(false);
  });
});

describe('parseStoredPassword', () => {
  it('gives iterations, salt and SaltedPassword', () => {
    const parsed = parseStoredPassword(PENCIL)!;
    expect(parsed.iterations).toBe(4096);
    expect(parsed.salt).toEqual(RFC7677_SALT);
    expect(Buffer.from(parsed.saltedPassword).toString('base64')).toBe('xKSVEDI6tPlSysH6mUQZOeeOp01r6B3fcJbodRPcYV0=');
  });
});
