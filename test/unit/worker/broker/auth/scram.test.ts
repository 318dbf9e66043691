/**
 * SCRAM-SHA-256 against RFC 7677 §3's example exchange, byte for byte from
 * both sides, then the ways an exchange must fail.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../../../worker/broker/auth/base64';
import { hashPassword, parseStoredPassword } from '../../../../../worker/broker/auth/passwords';
import {
  AuthReasonCode,
  createScramClient,
  createScramSha256,
  SCRAM_SHA_256,
  ScramError,
  scramSha256,
  type AuthCredentials,
  type AuthStep,
} from '../../../../../worker/broker/auth/scram';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

// RFC 7677 §3
const CLIENT_NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
const NONCE = CLIENT_NONCE + SERVER_NONCE;

/** A user table built the way a broker would: stored strings, parsed. */
function credentials(users: Record<string, string>): AuthCredentials & { asked: string[] } {
  const asked: string[] = [];
  const table = new Map(
    Object.entries(users).map(([name, password]) => [name, parseStoredPassword(hashPassword(password, { salt: decodeBase64('W22ZaJ0SNY7soEsUEjb6gQ==')! }))!]),
  );
  return {
    asked,
    lookup(username) {
      asked.push(username);
      return table.get(username);
    },
  };
}

const users = credentials({ user: 'pencil', 'us,er=x': 'secret' });
const fixedNonce = createScramSha256({ serverNonce: () => SERVER_NONCE });

function expectFailure(step: AuthStep, reasonCode: number, reason: RegExp): void {
  expect(step.kind).toBe('failure');
  if (step.kind !== 'failure') return;
  expect(step.reasonCode).toBe(reasonCode);
  expect(step.reason).toMatch(reason);
}

/** The RFC 7677 client-final-message with one attribute replaced. */
function clientFinalWith(attribute: 'c' | 'r' | 'p', value: string): string {
  return CLIENT_FINAL.split(',')
    .map((part) => (part[0] === attribute ? `${attribute}=${value}` : part))
    .join(',');
}

describe('RFC 7677 example exchange', () => {
  it('client side: the exact client-first and client-final messages, and the server-final verifies', () => {
    const client = createScramClient('user', 'pencil', CLIENT_NONCE);
    expect(dec(client.first())).toBe(CLIENT_FIRST);
    expect(dec(client.final(enc(SERVER_FIRST)))).toBe(CLIENT_FINAL);
    expect(client.verify(enc(SERVER_FINAL))).toBe(true);
  });

  it('server side: the exact server-first and server-final messages', () => {
    const session = fixedNonce.start(users);
    const first = session.step(enc(CLIENT_FIRST));
    expect(first.kind).toBe('continue');
    expect(dec(first.kind === 'continue' ? first.data : undefined)).toBe(SERVER_FIRST);
    const final = session.step(enc(CLIENT_FINAL));
    expect(final).toEqual({ kind: 'success', data: enc(SERVER_FINAL), username: 'user' });
  });

  it('the method is named SCRAM-SHA-256', () => {
    expect(scramSha256.name).toBe('SCRAM-SHA-256');
    expect(SCRAM_SHA_256).toBe('SCRAM-SHA-256');
  });
});

describe('client and server together', () => {
  function run(username: string, password: string, known = users) {
    const client = createScramClient(username, password);
    const session = scramSha256.start(known);
    const first = session.step(client.first());
    if (first.kind !== 'continue') return { first, final: first, client };
    const final = session.step(client.final(first.data));
    return { first, final, client };
  }

  it('succeed with random nonces and the right password', () => {
    const { first, final, client } = run('user', 'pencil');
    expect(first.kind === 'continue' && dec(first.data)).toMatch(/^r=[A-Za-z0-9+/]{24}[A-Za-z0-9+/]{24},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096$/);
    expect(final.kind).toBe('success');
    expect(final.kind === 'success' && client.verify(final.data!)).toBe(true);
  });

  it('escape "," and "=" in the user name as =2C and =3D', () => {
    const client = createScramClient('us,er=x', 'secret', 'abc');
    expect(dec(client.first())).toBe('n,,n=us=2Cer=3Dx,r=abc');
    users.asked.length = 0;
    const { final } = run('us,er=x', 'secret');
    expect(users.asked).toEqual(['us,er=x']);
    expect(final).toMatchObject({ kind: 'success', username: 'us,er=x' });
  });

  it('fail with 0x86 for a wrong password', () => {
    const { final } = run('user', 'pen');
    expectFailure(final, AuthReasonCode.BadUserNameOrPassword, /invalid-proof: wrong user name or password/);
  });

  it('fail with 0x86 for an unknown user, only at the proof, after a believable server-first', () => {
    const { first, final } = run('mallory', 'pencil');
    expect(first.kind === 'continue' && dec(first.data)).toMatch(/,s=[A-Za-z0-9+/]{22}==,i=4096$/);
    expectFailure(final, AuthReasonCode.BadUserNameOrPassword, /invalid-proof: wrong user name or password/);
  });

  it('give an unknown user the same made-up salt every time, and another user another salt', () => {
    const salt = (name: string) => {
      const step = scramSha256.start(users).step(enc(`n,,n=${name},r=abc`));
      return step.kind === 'continue' ? dec(step.data).split(',')[1] : undefined;
    };
    expect(salt('mallory')).toBe(salt('mallory'));
    expect(salt('mallory')).not.toBe(salt('trudy'));
  });
});

describe('server refuses', () => {
  it.each([
    ['no data', undefined, /no client-first-message/],
    ['empty data', '', /no client-first-message/],
    ['no GS2 header', 'n=user,r=abc', /GS2 header/],
    ['an unknown GS2 flag', 'x,,n=user,r=abc', /channel-binding flag/],
    ['channel binding', 'p=tls-unique,,n=user,r=abc', /channel-binding-not-supported/],
    ['a mandatory extension', 'n,,m=ext,n=user,r=abc', /extensions-not-supported/],
    ['attributes out of order', 'n,,r=abc,n=user', /n=<user>,r=<nonce>/],
    ['a missing nonce', 'n,,n=user', /n=<user>,r=<nonce>/],
    ['a bad "=" escape', 'n,,n=us=er,r=abc', /invalid-username-encoding/],
    ['an empty user name', 'n,,n=,r=abc', /invalid-username-encoding/],
    ['an empty nonce', 'n,,n=user,r=', /nonce must be printable/],
    ['a nonce with a space', 'n,,n=user,r=a b', /nonce must be printable/],
    ['a part that is not an attribute', 'n,,n=user,r=abc,junk', /a=value/],
    ['a bad authzid', 'n,user,n=user,r=abc', /authzid/],
    ['an authzid for someone else', 'n,a=admin,n=user,r=abc', /may not act as "admin"/],
  ])('a client-first-message with %s (0x87)', (_name, message, reason) => {
    const session = fixedNonce.start(users);
    expectFailure(session.step(message === undefined ? undefined : enc(message)), AuthReasonCode.NotAuthorized, reason);
    expectFailure(session.step(enc(CLIENT_FINAL)), AuthReasonCode.ProtocolError, /already finished/);
  });

  it('a client-first-message that is not UTF-8 (0x87)', () => {
    expectFailure(fixedNonce.start(users).step(new Uint8Array([0x6e, 0x2c, 0x2c, 0xff])), AuthReasonCode.NotAuthorized, /not UTF-8/);
  });

  it.each([
    ['a nonce that is not the one sent', clientFinalWith('r', `${NONCE}x`), AuthReasonCode.NotAuthorized, /nonce does not match/],
    ['only the client part of the nonce', clientFinalWith('r', CLIENT_NONCE), AuthReasonCode.NotAuthorized, /nonce does not match/],
    ['a tampered proof', clientFinalWith('p', 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVU='), AuthReasonCode.BadUserNameOrPassword, /invalid-proof/],
    ['a proof of the wrong length', clientFinalWith('p', 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndQ=='), AuthReasonCode.NotAuthorized, /32 bytes/],
    ['a proof that is not base64', clientFinalWith('p', 'not base64!'), AuthReasonCode.NotAuthorized, /32 bytes/],
    ['channel binding data for another header', clientFinalWith('c', 'eSws'), AuthReasonCode.NotAuthorized, /channel-bindings-dont-match/],
    ['no proof', CLIENT_FINAL.slice(0, CLIENT_FINAL.indexOf(',p=')), AuthReasonCode.NotAuthorized, /c=…,r=…,p=…/],
    ['the proof first', `p=x,${CLIENT_FINAL.slice(0, CLIENT_FINAL.indexOf(',p='))}`, AuthReasonCode.NotAuthorized, /c=…,r=…/],
    ['nothing', '', AuthReasonCode.NotAuthorized, /no client-final-message/],
  ])('a client-final-message with %s', (_name, message, code, reason) => {
    const session = fixedNonce.start(users);
    expect(session.step(enc(CLIENT_FIRST)).kind).toBe('continue');
    expectFailure(session.step(enc(message)), code, reason);
    expectFailure(session.step(enc(CLIENT_FINAL)), AuthReasonCode.ProtocolError, /already finished/);
  });

  it('any step after success (0x82)', () => {
    const session = fixedNonce.start(users);
    session.step(enc(CLIENT_FIRST));
    expect(session.step(enc(CLIENT_FINAL)).kind).toBe('success');
    expectFailure(session.step(enc(CLIENT_FINAL)), AuthReasonCode.ProtocolError, /already finished/);
    expectFailure(session.step(undefined), AuthReasonCode.ProtocolError, /already finished/);
  });

  it('an injected server nonce that is not printable is a programming error', () => {
    const session = createScramSha256({ serverNonce: () => 'a,b' }).start(users);
    expect(() => session.step(enc(CLIENT_FIRST))).toThrow(RangeError);
  });
});

describe('server accepts', () => {
  /** A client-final-message computed independently with node:crypto. */
  function independentFinal(clientFirstBare: string, serverFirst: string, withoutProof: string, password: string) {
    const [, s, i] = serverFirst.split(',');
    const salted = saltedPassword(password, s!.slice(2), Number(i!.slice(2)));
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, k) => b ^ signature[k]!));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  function saltedPassword(password: string, salt: string, iterations: number): Buffer {
    return pbkdf2Sync(password, Buffer.from(salt, 'base64'), iterations, 32, 'sha256');
  }

  it('the "y" flag and an authzid equal to the user, with c= echoing that header', () => {
    const session = fixedNonce.start(users);
    const first = session.step(enc(`y,a=user,n=user,r=${CLIENT_NONCE}`));
    const serverFirst = first.kind === 'continue' ? dec(first.data) : '';
    const c = Buffer.from('y,a=user,').toString('base64');
    const final = independentFinal(`n=user,r=${CLIENT_NONCE}`, serverFirst, `c=${c},r=${NONCE}`, 'pencil');
    expect(session.step(enc(final))).toMatchObject({ kind: 'success', username: 'user' });
  });

  it('extensions after the nonce in both client messages', () => {
    const session = fixedNonce.start(users);
    const first = session.step(enc(`n,,n=user,r=${CLIENT_NONCE},x=first-ext`));
    const serverFirst = first.kind === 'continue' ? dec(first.data) : '';
    const final = independentFinal(`n=user,r=${CLIENT_NONCE},x=first-ext`, serverFirst, `c=biws,r=${NONCE},x=final-ext`, 'pencil');
    expect(session.step(enc(final))).toMatchObject({ kind: 'success', username: 'user' });
  });
});

describe('client refuses', () => {
  it.each([
    ['garbage', 'garbage', /a=value/],
    ['a missing iteration count', `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==`, /r=…,s=…,i=…/],
    ['a server error', 'e=other-error', /r=…,s=…,i=…/],
    ['a mandatory extension', `m=ext,r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /mandatory extension/],
    ['a nonce not extending the client nonce', `r=x${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /must start with the client nonce/],
    ['a nonce equal to the client nonce', `r=${CLIENT_NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`, /must start with the client nonce/],
    ['a salt that is not base64', `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ,i=4096`, /salt/],
    ['an empty salt', `r=${NONCE},s=,i=4096`, /salt/],
    ['too few iterations', `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095`, /below the minimum of 4096/],
    ['too many iterations', `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=5000000`, /above the maximum/],
    ['an iteration count that is not a number', `r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1`, /positive integer/],
  ])('a server-first-message with %s', (_name, serverFirst, message) => {
    const client = createScramClient('user', 'pencil', CLIENT_NONCE);
    client.first();
    expect(() => client.final(enc(serverFirst))).toThrow(ScramError);
    expect(() => client.final(enc(serverFirst))).toThrow(message);
    expect(client.verify(enc(SERVER_FINAL))).toBe(false);
  });

  it('fewer iterations when told to accept them', () => {
    const client = createScramClient('user', 'pencil', CLIENT_NONCE, { minIterations: 1 });
    expect(() => client.final(enc(`r=${NONCE},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2`))).not.toThrow();
  });

  it('a server-final-message with the wrong signature, an error, or garbage', () => {
    const client = createScramClient('user', 'pencil', CLIENT_NONCE);
    client.final(enc(SERVER_FIRST));
    expect(client.verify(enc('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5='))).toBe(false);
    expect(client.verify(enc('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4'))).toBe(false);
    expect(client.verify(enc('e=invalid-proof'))).toBe(false);
    expect(client.verify(enc(''))).toBe(false);
    expect(client.verify(new Uint8Array([0xff]))).toBe(false);
    expect(client.verify(enc(SERVER_FINAL))).toBe(true);
  });

  it('to verify before it has sent its final message', () => {
    expect(createScramClient('user', 'pencil', CLIENT_NONCE).verify(enc(SERVER_FINAL))).toBe(false);
  });

  it('a nonce with a comma or nothing in it', () => {
    expect(() => createScramClient('user', 'pencil', 'a,b')).toThrow(RangeError);
    expect(() => createScramClient('user', 'pencil', '')).toThrow(RangeError);
  });

  it('makes a fresh 24-character nonce by default', () => {
    const a = dec(createScramClient('user', 'pencil').first());
    const b = dec(createScramClient('user', 'pencil').first());
    expect(a).toMatch(/^n,,n=user,r=[A-Za-z0-9+/]{24}$/);
    expect(a).not.toBe(b);
  });
});
