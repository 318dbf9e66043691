/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as an MQTT 5.0 enhanced authentication
 * method. The client proves it knows the password, the server proves it knows
 * the SaltedPassword, and neither ever sends either. RFC 7677 §3's exchange,
 * with the MQTT packet each message travels in:
 *
 *   CONNECT  Authentication Method "SCRAM-SHA-256", Data (client-first-message):
 *     n,,n=user,r=rOprNGfwEbeRWgbNEkqO
 *   AUTH 0x18  Data (server-first-message):
 *     r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096
 *   AUTH 0x18  Data (client-final-message):
 *     c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
 *   CONNACK 0x00  Data (server-final-message):
 *     v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=
 *
 * "n,," is the GS2 header: no channel binding, no authorisation identity; "c="
 * echoes it in base64 ("biws"). The server's nonce must extend the client's.
 * With AuthMessage = client-first-bare "," server-first "," client-final-without-proof:
 *
 *   SaltedPassword  = PBKDF2-HMAC-SHA256(password, salt, i)     (what the server stores)
 *   ClientKey       = HMAC(SaltedPassword, "Client Key"),  StoredKey = SHA-256(ClientKey)
 *   ClientProof     = ClientKey XOR HMAC(StoredKey, AuthMessage)
 *   ServerSignature = HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage)
 *
 * The server recovers ClientKey from the proof and checks SHA-256(ClientKey) = StoredKey.
 * For an unknown user the server answers with a made-up salt (stable per user
 * name) and fails only at the proof, so user names cannot be probed (RFC 5802 §9).
 */
import { decodeBase64, encodeBase64 } from './base64';
import { fromUtf8, randomBytes, timingSafeEqual, utf8, xorBytes } from './bytes';
import { AuthReasonCode, type AuthCredentials, type AuthMethod, type AuthSession, type AuthStep } from './method';
import { passwordBytes } from './passwords';
import { hmacSha256, pbkdf2Sha256, sha256 } from './sha256';

export { AuthReasonCode, type AuthCredentials, type AuthMethod, type AuthSession, type AuthStep } from './method';

/** The Authentication Method name (RFC 7677 §2). */
export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
/** The fewest PBKDF2 rounds a client accepts by default (RFC 7677 §4). */
export const SCRAM_MIN_ITERATIONS = 4096;
/** The most PBKDF2 rounds a client computes by default, so a server cannot stall it. */
export const SCRAM_MAX_ITERATIONS = 1_000_000;

/** Random bytes in a generated nonce; 18 gives 24 base64 characters with no padding. */
const NONCE_BYTES = 18;
/** Rounds advertised for a user that does not exist. */
const MOCK_ITERATIONS = 4096;

// ---------------------------------------------------------------------------
// Message syntax (RFC 5802 §7)

interface Attribute {
  name: string;
  value: string;
}

/** Splits `a=x,b=y` into attributes; `undefined` if any part is not `letter=value`. */
function parseAttributes(text: string): Attribute[] | undefined {
  const out: Attribute[] = [];
  for (const part of text.split(',')) {
    if (!/^[A-Za-z]=/.test(part)) return undefined;
    out.push({ name: part[0]!, value: part.slice(2) });
  }
  return out;
}

/** printable = %x21-2B / %x2D-7E: visible ASCII except ",". */
function isNonce(text: string): boolean {
  return /^[\x21-\x2B\x2D-\x7E]+$/.test(text);
}

/** saslname: "," and "=" are sent as "=2C" and "=3D" (RFC 5802 §5.1). */
function encodeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** The name behind a saslname, or `undefined` for an "=" not starting =2C or =3D. */
function decodeSaslName(text: string): string | undefined {
  if (/=(?!2C|3D)/.test(text)) return undefined;
  return text.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** ClientKey, StoredKey and ServerKey from SaltedPassword (RFC 5802 §3). */
function deriveKeys(saltedPassword: Uint8Array): { clientKey: Uint8Array; storedKey: Uint8Array; serverKey: Uint8Array } {
  const clientKey = hmacSha256(saltedPassword, utf8('Client Key'));
  return { clientKey, storedKey: sha256(clientKey), serverKey: hmacSha256(saltedPassword, utf8('Server Key')) };
}

function randomNonce(): string {
  return encodeBase64(randomBytes(NONCE_BYTES));
}

// ---------------------------------------------------------------------------
// Server side

export interface ScramServerOptions {
  /** Makes the server's part of the nonce; default 18 random bytes in base64. Tests inject a fixed one. */
  serverNonce?: () => string;
  /** Key for the made-up salts of unknown users; default 32 random bytes, drawn on first use. */
  mockSecret?: Uint8Array;
}

/** Result of parsing a client-first-message: the fields, or the failure to report. */
type ClientFirst = { gs2Header: string; bare: string; username: string; nonce: string } | Extract<AuthStep, { kind: 'failure' }>;

function refuse(reasonCode: number, reason: string): Extract<AuthStep, { kind: 'failure' }> {
  return { kind: 'failure', reasonCode, reason };
}

const malformed = (what: string) => refuse(AuthReasonCode.NotAuthorized, `invalid-encoding: ${what}`);

function parseClientFirst(data: Uint8Array | undefined): ClientFirst {
  if (!data || data.length === 0) return malformed('CONNECT carries no client-first-message in its Authentication Data');
  const text = fromUtf8(data);
  if (text === undefined) return malformed('client-first-message is not UTF-8');
  const flagEnd = text.indexOf(',');
  const authzEnd = flagEnd < 0 ? -1 : text.indexOf(',', flagEnd + 1);
  if (authzEnd < 0) return malformed(`client-first-message must start with a GS2 header such as "n,,", not "${text.slice(0, 20)}"`);
  const flag = text.slice(0, flagEnd);
  if (flag.startsWith('p=')) return refuse(AuthReasonCode.NotAuthorized, 'channel-binding-not-supported: this server offers no channel binding ("p=" flag)');
  if (flag !== 'n' && flag !== 'y') return malformed(`GS2 channel-binding flag must be "n", "y" or "p=…", not "${flag}"`);
  const authzid = text.slice(flagEnd + 1, authzEnd);
  const bare = text.slice(authzEnd + 1);
  const attributes = parseAttributes(bare);
  if (!attributes) return malformed(`client-first-message-bare is not a list of a=value attributes: "${bare}"`);
  const [n, r] = attributes;
  if (n?.name === 'm') return refuse(AuthReasonCode.NotAuthorized, 'extensions-not-supported: mandatory extension "m=" is not supported');
  if (n?.name !== 'n' || r?.name !== 'r') return malformed('client-first-message-bare must be "n=<user>,r=<nonce>"');
  const username = decodeSaslName(n.value);
  if (username === undefined || username === '') return refuse(AuthReasonCode.NotAuthorized, `invalid-username-encoding: "${n.value}"`);
  if (authzid !== '') {
    const identity = authzid.startsWith('a=') ? decodeSaslName(authzid.slice(2)) : undefined;
    if (identity === undefined) return malformed(`GS2 authzid must be "a=<name>", not "${authzid}"`);
    if (identity !== username) return refuse(AuthReasonCode.NotAuthorized, `other-error: user "${username}" may not act as "${identity}"`);
  }
  if (!isNonce(r.value)) return malformed('client nonce must be printable ASCII without ","');
  return { gs2Header: text.slice(0, authzEnd + 1), bare, username, nonce: r.value };
}

class ScramServerSession implements AuthSession {
  #state: 'client-first' | 'client-final' | 'done' = 'client-first';
  #credentials: AuthCredentials;
  #options: ScramServerOptions;
  #mockSecret: () => Uint8Array;
  #username = '';
  #gs2Header = '';
  #nonce = '';
  /** client-first-message-bare "," server-first-message, the start of AuthMessage. */
  #firstMessages = '';
  #saltedPassword: Uint8Array | undefined;

  constructor(credentials: AuthCredentials, options: ScramServerOptions, mockSecret: () => Uint8Array) {
    this.#credentials = credentials;
    this.#options = options;
    this.#mockSecret = mockSecret;
  }

  step(data: Uint8Array | undefined): AuthStep {
    const state = this.#state;
    this.#state = 'done'; // until a step succeeds, any further step is refused
    if (state === 'client-first') return this.#first(data);
    if (state === 'client-final') return this.#final(data);
    return refuse(AuthReasonCode.ProtocolError, 'SCRAM-SHA-256 exchange is already finished; no more authentication data was expected');
  }

  #first(data: Uint8Array | undefined): AuthStep {
    const first = parseClientFirst(data);
    if ('kind' in first) return first;
    const user = this.#credentials.lookup(first.username);
    const serverNonce = this.#options.serverNonce?.() ?? randomNonce();
    if (!isNonce(serverNonce)) throw new RangeError('SCRAM server nonce must be printable ASCII without ","');
    const salt = user ? user.salt : hmacSha256(this.#mockSecret(), utf8(first.username)).subarray(0, 16);
    const iterations = user ? user.iterations : MOCK_ITERATIONS;
    this.#username = first.username;
    this.#gs2Header = first.gs2Header;
    this.#nonce = first.nonce + serverNonce;
    this.#saltedPassword = user?.saltedPassword;
    const serverFirst = `r=${this.#nonce},s=${encodeBase64(salt)},i=${iterations}`;
    this.#firstMessages = `${first.bare},${serverFirst}`;
    this.#state = 'client-final';
    return { kind: 'continue', data: utf8(serverFirst) };
  }

  #final(data: Uint8Array | undefined): AuthStep {
    const text = data && fromUtf8(data);
    if (!text) return malformed('AUTH carries no client-final-message in its Authentication Data');
    const attributes = parseAttributes(text);
    if (!attributes || attributes.length < 3) return malformed(`client-final-message must be "c=…,r=…,p=…", not "${text}"`);
    const [c, r] = attributes;
    const p = attributes[attributes.length - 1]!;
    if (c?.name !== 'c' || r?.name !== 'r' || p.name !== 'p') return malformed('client-final-message must be "c=…,r=…[,extensions],p=…"');
    if (c.value !== encodeBase64(utf8(this.#gs2Header))) {
      return refuse(AuthReasonCode.NotAuthorized, `channel-bindings-dont-match: c= must be the base64 GS2 header "${this.#gs2Header}"`);
    }
    if (r.value !== this.#nonce) return refuse(AuthReasonCode.NotAuthorized, 'other-error: nonce does not match the one the server sent');
    const proof = decodeBase64(p.value);
    if (!proof || proof.length !== 32) return malformed('proof must be 32 bytes of base64');
    const withoutProof = text.slice(0, text.length - p.value.length - 3);
    const authMessage = utf8(`${this.#firstMessages},${withoutProof}`);
    const badPassword = refuse(AuthReasonCode.BadUserNameOrPassword, 'invalid-proof: wrong user name or password');
    // An unknown user goes through the same work with a dummy key, and fails only now (RFC 5802 §9).
    const { storedKey, serverKey } = deriveKeys(this.#saltedPassword ?? new Uint8Array(32));
    const clientKey = xorBytes(proof, hmacSha256(storedKey, authMessage));
    const proofMatches = timingSafeEqual(sha256(clientKey), storedKey);
    if (!this.#saltedPassword || !proofMatches) return badPassword;
    const serverSignature = hmacSha256(serverKey, authMessage);
    return { kind: 'success', data: utf8(`v=${encodeBase64(serverSignature)}`), username: this.#username };
  }
}

/** A SCRAM-SHA-256 method; `scramSha256` is the one with random nonces. */
export function createScramSha256(options: ScramServerOptions = {}): AuthMethod {
  let secret = options.mockSecret;
  const mockSecret = () => (secret ??= randomBytes(32));
  return {
    name: SCRAM_SHA_256,
    start: (credentials) => new ScramServerSession(credentials, options, mockSecret),
  };
}

/** SCRAM-SHA-256 with random server nonces. */
export const scramSha256: AuthMethod = createScramSha256();

// ---------------------------------------------------------------------------
// Client side

/** Thrown by the client for a server-first-message it must not answer. */
export class ScramError extends Error {
  override name = 'ScramError';
}

export interface ScramClientOptions {
  /** Fewest PBKDF2 rounds to accept; default 4096 (RFC 7677 §4). */
  minIterations?: number;
  /** Most PBKDF2 rounds to compute; default 1,000,000. */
  maxIterations?: number;
}

/** The client's half of one exchange. */
export interface ScramClient {
  /** client-first-message, for CONNECT's Authentication Data. */
  first(): Uint8Array;
  /** client-final-message, answering the server-first-message of AUTH 0x18. Throws ScramError. */
  final(serverFirst: Uint8Array): Uint8Array;
  /** Whether the server-final-message of CONNACK proves the server knows the password. */
  verify(serverFinal: Uint8Array): boolean;
}

/** A SCRAM-SHA-256 client for `username`/`password`; `nonce` defaults to 18 random bytes in base64. */
export function createScramClient(username: string, password: string, nonce = randomNonce(), options: ScramClientOptions = {}): ScramClient {
  if (!isNonce(nonce)) throw new RangeError('SCRAM client nonce must be printable ASCII without ","');
  const minIterations = options.minIterations ?? SCRAM_MIN_ITERATIONS;
  const maxIterations = options.maxIterations ?? SCRAM_MAX_ITERATIONS;
  const gs2Header = 'n,,';
  const bare = `n=${encodeSaslName(username)},r=${nonce}`;
  let expectedSignature: Uint8Array | undefined;

  return {
    first: () => utf8(gs2Header + bare),

    final(serverFirst) {
      const text = fromUtf8(serverFirst);
      const attributes = text === undefined ? undefined : parseAttributes(text);
      if (!attributes) throw new ScramError('server-first-message is not a list of a=value attributes');
      const [r, s, i] = attributes;
      if (r?.name === 'm') throw new ScramError('server-first-message has a mandatory extension this client does not support');
      if (r?.name !== 'r' || s?.name !== 's' || i?.name !== 'i') throw new ScramError('server-first-message must be "r=…,s=…,i=…"');
      if (!isNonce(r.value) || !r.value.startsWith(nonce) || r.value.length === nonce.length) {
        throw new ScramError('server nonce must start with the client nonce and add to it');
      }
      const salt = decodeBase64(s.value);
      if (!salt || salt.length === 0) throw new ScramError('salt must be non-empty base64');
      if (!/^[1-9][0-9]{0,9}$/.test(i.value)) throw new ScramError(`iteration count must be a positive integer, not "${i.value}"`);
      const iterations = Number(i.value);
      if (iterations < minIterations) throw new ScramError(`iteration count ${iterations} is below the minimum of ${minIterations}`);
      if (iterations > maxIterations) throw new ScramError(`iteration count ${iterations} is above the maximum of ${maxIterations}`);
      const saltedPassword = pbkdf2Sha256(passwordBytes(password), salt, iterations);
      const { clientKey, storedKey, serverKey } = deriveKeys(saltedPassword);
      const withoutProof = `c=${encodeBase64(utf8(gs2Header))},r=${r.value}`;
      const authMessage = utf8(`${bare},${text},${withoutProof}`);
      const proof = xorBytes(clientKey, hmacSha256(storedKey, authMessage));
      expectedSignature = hmacSha256(serverKey, authMessage);
      return utf8(`${withoutProof},p=${encodeBase64(proof)}`);
    },

    verify(serverFinal) {
      const text = fromUtf8(serverFinal);
      const v = text === undefined ? undefined : parseAttributes(text)?.[0];
      if (!expectedSignature || v?.name !== 'v') return false; // "e=…" is the server's refusal
      const signature = decodeBase64(v.value);
      return signature !== undefined && timingSafeEqual(signature, expectedSignature);
    },
  };
}
