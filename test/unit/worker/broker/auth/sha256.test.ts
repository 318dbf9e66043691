/**
 * Known-answer vectors: FIPS 180-2 / NIST CAVS for SHA-256, RFC 4231 for
 * HMAC-SHA-256, and for PBKDF2-HMAC-SHA256 the RFC 6070 inputs (password
 * "password", salt "salt") with SHA-256 as the PRF plus RFC 7914 §11's first
 * vector; then random inputs against node:crypto.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, pbkdf2Sha256, sha256 } from '../../../../../worker/broker/auth/sha256';

const text = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const repeat = (byte: number, n: number) => new Uint8Array(n).fill(byte);

describe('sha256', () => {
  it.each([
    ['empty', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['448-bit message', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [
      '896-bit message',
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('%s', (_name, input, digest) => {
    expect(hex(sha256(text(input)))).toBe(digest);
  });

  it('one million "a"', () => {
    expect(hex(sha256(repeat(0x61, 1_000_000)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('hashes a subarray by its own bytes, not its buffer', () => {
    const big = text('xxabcxx');
    expect(hex(sha256(big.subarray(2, 5)))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto around block and padding boundaries and on random lengths', () => {
    const lengths = [1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 4095];
    for (let i = 0; i < 40; i++) lengths.push(Math.floor(Math.random() * 3000));
    for (const n of lengths) {
      const data = randomBytes(n);
      expect(hex(sha256(data)), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('hmacSha256 (RFC 4231)', () => {
  const key25 = new Uint8Array(25).map((_, i) => i + 1);
  it.each([
    ['case 1', repeat(0x0b, 20), text('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['case 2', text('Jefe'), text('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['case 3', repeat(0xaa, 20), repeat(0xdd, 50), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    ['case 4', key25, repeat(0xcd, 50), '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
    [
      'case 6 (key longer than a block)',
      repeat(0xaa, 131),
      text('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      'case 7 (key and data longer than a block)',
      repeat(0xaa, 131),
      text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('%s', (_name, key, data, mac) => {
    expect(hex(hmacSha256(key, data))).toBe(mac);
  });

  it('matches node:crypto for random keys (0 to 150 bytes) and data', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 150]) {
      for (let i = 0; i < 5; i++) {
        const key = randomBytes(keyLength);
        const data = randomBytes(Math.floor(Math.random() * 300));
        expect(hex(hmacSha256(key, data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }
    }
  });
});

describe('pbkdf2Sha256', () => {
  it.each([
    [1, 'password', 'salt', 32, '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b'],
    [2, 'password', 'salt', 32, 'ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43'],
    [4096, 'password', 'salt', 32, 'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a'],
    [
      4096,
      'passwordPASSWORDpassword',
      'saltSALTsaltSALTsaltSALTsaltSALTsalt',
      40,
      '348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9',
    ],
    [
      1,
      'passwd',
      'salt',
      64,
      '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
    ],
  ])('c=%i, P="%s", S="%s", dkLen=%i', (iterations, password, salt, length, key) => {
    expect(hex(pbkdf2Sha256(text(password), text(salt), iterations, length))).toBe(key);
  });

  it('defaults to 32 bytes', () => {
    expect(pbkdf2Sha256(text('password'), text('salt'), 1)).toHaveLength(32);
  });

  it('matches node:crypto for random inputs, including lengths that are not whole blocks', () => {
    for (const length of [1, 16, 31, 32, 33, 64, 100]) {
      const password = randomBytes(Math.floor(Math.random() * 100));
      const salt = randomBytes(Math.floor(Math.random() * 40));
      const iterations = 1 + Math.floor(Math.random() * 50);
      expect(hex(pbkdf2Sha256(password, salt, iterations, length))).toBe(pbkdf2Sync(password, salt, iterations, length, 'sha256').toString('hex'));
    }
  });

  it('takes a few milliseconds for 4096 iterations', () => {
    pbkdf2Sha256(text('warm'), text('up'), 4096);
    const start = performance.now();
    for (let i = 0; i < 5; i++) pbkdf2Sha256(text('password'), text('salt'), 4096);
    expect((performance.now() - start) / 5).toBeLessThan(50); // ~3 ms on a laptop; generous for slow CI
  });

  it('refuses a non-positive or fractional iteration count', () => {
    expect(() => pbkdf2Sha256(text('p'), text('s'), 0)).toThrow(RangeError);
    expect(() => pbkdf2Sha256(text('p'), text('s'), 1.5)).toThrow(RangeError);
  });

  it('uses the subarray it is given for password and salt', () => {
    const buffer = fromHex('ff' + hex(text('password')) + 'ff' + hex(text('salt')) + 'ff');
    expect(hex(pbkdf2Sha256(buffer.subarray(1, 9), buffer.subarray(10, 14), 2))).toBe('ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43');
  });
});
