import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../../../worker/broker/auth/base64';

const text = (s: string) => new TextEncoder().encode(s);

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 §10: "%s" ⇄ "%s"', (plain, encoded) => {
    expect(encodeBase64(text(plain))).toBe(encoded);
    expect(decodeBase64(encoded)).toEqual(text(plain));
  });

  it('round-trips random bytes and agrees with Buffer', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      const encoded = encodeBase64(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(encoded)).toEqual(bytes);
    }
  });

  it.each(['Zg', 'Zg=', 'Zh==', 'Zm9=', 'Z===', '====', 'Zg==Zg==', 'Zm9v YmFy', 'Zm9v\nYmFy', 'Zm9-', 'Zm9_', 'Zm9é'])(
    'refuses non-canonical or invalid "%s"',
    (encoded) => {
      expect(decodeBase64(encoded)).toBeUndefined();
    },
  );
});
