// Veche's election cryptography on the voter's device: docs/protocol.md §1-§6 and §11,
// byte-compatible with src/crypto (checked against tests/vectors/crypto/vectors.json by
// e2e/tests/crypto_vectors.test.mjs). It encrypts and proves a ballot, signs it with the
// credential derived from the voter's code, computes the tracker, and can reveal a ballot for a
// Benaloh audit; it also verifies the proofs it makes, so a client can check itself.
//
// Usage: `const vc = makeCrypto(sodium)` with an initialised libsodium-wrappers-sumo.
// Points and scalars are Uint8Array(32); hex strings only at the edges (JSON).

const PREFIX = 'veche-elections/1/';
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

export function makeCrypto(sodium) {
  const utf8 = (s) => new TextEncoder().encode(s);
  const bytes = (x) => (typeof x === 'string' ? utf8(x) : x);
  const hex = (b) => sodium.to_hex(b);
  const unhex = (h) => sodium.from_hex(h);

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  const u32le = (n) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  };
  const u64le = (n) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    return b;
  };
  const frame = (x) => concat(u32le(x.length), x);

  // §2: H64/H32 over framed parts, the tag prefixed with "veche-elections/1/".
  class Hasher {
    constructor(tag, length) {
      this.length = length;
      this.state = sodium.crypto_generichash_init(null, length);
      this.add(PREFIX + tag);
    }
    add(part) {
      sodium.crypto_generichash_update(this.state, frame(bytes(part)));
      return this;
    }
    digest() {
      return sodium.crypto_generichash_final(this.state, this.length);
    }
  }
  const h32 = (tag, ...parts) => parts.reduce((h, p) => h.add(p), new Hasher(tag, 32)).digest();
  const h64 = (tag, ...parts) => parts.reduce((h, p) => h.add(p), new Hasher(tag, 64)).digest();

  // §1: scalars and points, with the identity O handled here (libsodium refuses to return it).
  const O = new Uint8Array(32);
  const isZero = (b) => b.every((x) => x === 0);
  const scalar = (n) => {
    let v = ((BigInt(n) % L) + L) % L;
    const b = new Uint8Array(32);
    for (let i = 0; i < 32; i++, v >>= 8n) b[i] = Number(v & 0xffn);
    return b;
  };
  const toBig = (s) => s.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
  const sadd = (a, b) => sodium.crypto_core_ristretto255_scalar_add(a, b);
  const ssub = (a, b) => sodium.crypto_core_ristretto255_scalar_sub(a, b);
  const smul = (a, b) => sodium.crypto_core_ristretto255_scalar_mul(a, b);
  const srandom = () => sodium.crypto_core_ristretto255_scalar_random();
  const reduce64 = (b) => sodium.crypto_core_ristretto255_scalar_reduce(b);
  const mul = (s, p) => {
    if (isZero(s) || isZero(p)) return O;
    try {
      return sodium.crypto_scalarmult_ristretto255(s, p);
    } catch {
      return O;  // the product is the identity
    }
  };
  const base = (s) => {
    if (isZero(s)) return O;
    try {
      return sodium.crypto_scalarmult_ristretto255_base(s);
    } catch {
      return O;
    }
  };
  const G = base(scalar(1));
  const neg = (p) => mul(scalar(L - 1n), p);
  const add = (p, q) => (isZero(p) ? q : isZero(q) ? p : sodium.crypto_core_ristretto255_add(p, q));
  const sub = (p, q) => (isZero(q) ? p : isZero(p) ? neg(q) : sodium.crypto_core_ristretto255_sub(p, q));
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const checkPoint = (p) => {
    if (p.length !== 32 || !(isZero(p) || sodium.crypto_core_ristretto255_is_valid_point(p))) {
      throw new Error('not a canonical Ristretto255 point');
    }
    return p;
  };
  const checkScalar = (s) => {
    if (s.length !== 32 || toBig(s) >= L) throw new Error('not a canonical scalar');
    return s;
  };
  const groupDescription = concat(utf8('ristretto255'), G, scalar(L - 1n));

  // §3: the strong Fiat-Shamir transcript.
  class Transcript {
    constructor(proofTag, context, bind) {
      this.hasher = new Hasher('transcript', 64);
      this.append('proof', proofTag);
      this.append('group', groupDescription);
      this.append('context', context);
      this.append('bind', bind);
    }
    append(label, data) {
      this.hasher.add(label).add(bytes(data));
      return this;
    }
    challenge() {
      return reduce64(this.hasher.digest());
    }
  }
  const voterContext = (fingerprint, credential) => ({ context: fingerprint, bind: credential });
  const trusteeContext = (context, index) => ({ context, bind: u32le(index) });

  // §4: exponential ElGamal.
  const encrypt = (h, m, r) => ({ alpha: base(r), beta: add(base(scalar(m)), mul(r, h)) });
  const ciphertextBytes = (ct) => concat(ct.alpha, ct.beta);

  // §5.3: the disjunctive Chaum-Pedersen proof that ct encrypts one of `values`.
  function rangeChallenge(ctx, h, ct, values, branches) {
    const t = new Transcript('range', ctx.context, ctx.bind);
    t.append('h', h).append('alpha', ct.alpha).append('beta', ct.beta);
    t.append('values', concat(...values.map(u64le)));
    for (const b of branches) t.append('A', b.a).append('B', b.b);
    return t.challenge();
  }
  function proveRange(ctx, h, ct, values, trueIndex, r) {
    const w = srandom();
    let others = scalar(0);
    const branches = values.map((v, j) => {
      if (j === trueIndex) return { a: base(w), b: mul(w, h) };
      const c = srandom();
      const z = srandom();
      others = sadd(others, c);
      const shifted = sub(ct.beta, base(scalar(v)));
      return { a: sub(base(z), mul(c, ct.alpha)), b: sub(mul(z, h), mul(c, shifted)), c, z };
    });
    const c = rangeChallenge(ctx, h, ct, values, branches);
    const t = branches[trueIndex];
    t.c = ssub(c, others);
    t.z = sadd(w, smul(t.c, r));
    return concat(...branches.map((b) => concat(b.a, b.b, b.c, b.z)));
  }
  function verifyRange(ctx, h, ct, values, proof) {
    if (proof.length !== values.length * 128) return false;
    const branches = values.map((_, j) => {
      const at = j * 128;
      return {
        a: checkPoint(proof.slice(at, at + 32)),
        b: checkPoint(proof.slice(at + 32, at + 64)),
        c: checkScalar(proof.slice(at + 64, at + 96)),
        z: checkScalar(proof.slice(at + 96, at + 128)),
      };
    });
    const sum = branches.reduce((s, b) => sadd(s, b.c), scalar(0));
    if (!equal(sum, rangeChallenge(ctx, h, ct, values, branches))) return false;
    return branches.every((b, j) => {
      const shifted = sub(ct.beta, base(scalar(values[j])));
      return equal(base(b.z), add(b.a, mul(b.c, ct.alpha))) &&
        equal(mul(b.z, h), add(b.b, mul(b.c, shifted)));
    });
  }

  // §5.1 and §5.2, verification only (trustees' proofs, checked by auditors and tests).
  function verifySchnorr(ctx, x, proof) {
    const a = checkPoint(proof.slice(0, 32));
    const z = checkScalar(proof.slice(32, 64));
    const c = new Transcript('schnorr', ctx.context, ctx.bind).append('X', x).append('A', a).challenge();
    return !isZero(x) && equal(base(z), add(a, mul(c, x)));
  }
  function verifyDleq(tag, ctx, x, p, y, proof) {
    const a = checkPoint(proof.slice(0, 32));
    const b = checkPoint(proof.slice(32, 64));
    const z = checkScalar(proof.slice(64, 96));
    const c = new Transcript(tag, ctx.context, ctx.bind)
      .append('X', x).append('P', p).append('Y', y).append('A', a).append('B', b).challenge();
    return equal(base(z), add(a, mul(c, x))) && equal(mul(z, p), add(b, mul(c, y)));
  }

  // §6: credentials. The code is 24 base32 characters in groups of four (15 bytes).
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  function toBase32(b) {
    let out = '';
    let bits = 0;
    let value = 0;
    for (const x of b) {
      value = (value << 8) | x;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    return out;
  }
  function fromBase32(text) {
    const out = [];
    let bits = 0;
    let value = 0;
    for (const ch of text) {
      const v = ALPHABET.indexOf(ch);
      if (v < 0) throw new Error(`"${ch}" is not a letter of a credential code`);
      value = ((value << 5) | v) & 0xffff;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Uint8Array(out);
  }
  function credentialFromCode(electionId, code) {
    const letters = code.toUpperCase().replace(/[\s-]/g, '');
    if (letters.length !== 24) throw new Error('A credential code has 24 letters and digits.');
    const seed = h32('credential', electionId, fromBase32(letters));
    const keys = sodium.crypto_sign_seed_keypair(seed);
    return { publicKey: keys.publicKey, secretKey: keys.privateKey };
  }
  const sign = (credential, message) => sodium.crypto_sign_detached(message, credential.secretKey);

  // §11: the ballot. `election` holds the fingerprint and joint key (Uint8Array) and the
  // questions of the setup; `selections[q][c]` is 0 or 1. Returns the payload text exactly as
  // the board stores it, its tracker, and the randomness (for a Benaloh audit, §5.4).
  function allowedSums(q) {
    const values = [];
    if (q.blank && q.min > 0) values.push(0);
    for (let v = q.min; v <= q.max; v++) values.push(v);
    return values;
  }
  function encryptBallot(election, credential, selections) {
    const ctx = voterContext(election.fingerprint, credential.publicKey);
    const h = election.jointKey;
    const randomness = [];
    const answers = election.questions.map((q, qi) => {
      const chosen = selections[qi];
      if (chosen.length !== q.choices.length) throw new Error(`question ${q.id}: wrong choice count`);
      let total = 0;
      let rSum = scalar(0);
      let sum = { alpha: O, beta: O };
      const rs = [];
      const choices = chosen.map((m) => {
        if (m !== 0 && m !== 1) throw new Error(`question ${q.id}: a choice is 0 or 1`);
        const r = srandom();
        rs.push(r);
        const ct = encrypt(h, m, r);
        total += m;
        rSum = sadd(rSum, r);
        sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
        return { c: hex(ciphertextBytes(ct)), proof: hex(proveRange(ctx, h, ct, [0, 1], m, r)) };
      });
      randomness.push(rs);
      const values = allowedSums(q);
      const at = values.indexOf(total);
      if (at < 0) throw new Error(`question ${q.id}: choose between ${q.min} and ${q.max}`);
      return { choices, sum: hex(proveRange(ctx, h, sum, values, at, rSum)) };
    });
    const payload = {
      election: hex(election.fingerprint),
      credential: hex(credential.publicKey),
      answers,
      signer: hex(credential.publicKey),
    };
    const unsigned = JSON.stringify(payload);
    payload.sig = hex(sign(credential, h32('signed', 'ballot', unsigned)));
    const text = JSON.stringify(payload);
    const tracker = h32('tracker', text);
    return { payload: text, tracker: hex(tracker), shortTracker: toBase32(tracker.slice(0, 10)), randomness };
  }

  // Checks a ballot's proofs and signature as the server does (without the board's rules):
  // false for anything wrong, a malformed encoding included.
  function verifyBallot(election, text) {
    try {
      return checkBallot(election, text);
    } catch {
      return false;
    }
  }
  function checkBallot(election, text) {
    const b = JSON.parse(text);
    if (JSON.stringify(b) !== text) return false;
    const credential = unhex(b.credential);
    if (b.signer !== b.credential || b.election !== hex(election.fingerprint)) return false;
    const { sig, ...unsigned } = b;
    const digest = h32('signed', 'ballot', JSON.stringify(unsigned));
    if (!sodium.crypto_sign_verify_detached(unhex(sig), digest, credential)) return false;
    const ctx = voterContext(election.fingerprint, credential);
    return election.questions.every((q, qi) => {
      const answer = b.answers[qi];
      let sum = { alpha: O, beta: O };
      const ok = answer.choices.length === q.choices.length && answer.choices.every((c) => {
        const raw = unhex(c.c);
        const ct = { alpha: checkPoint(raw.slice(0, 32)), beta: checkPoint(raw.slice(32, 64)) };
        sum = { alpha: add(sum.alpha, ct.alpha), beta: add(sum.beta, ct.beta) };
        return verifyRange(ctx, election.jointKey, ct, [0, 1], unhex(c.proof));
      });
      return ok && verifyRange(ctx, election.jointKey, sum, allowedSums(q), unhex(answer.sum));
    });
  }

  // §5.4: whether a revealed ballot (its selections and randomness) reproduces every ciphertext.
  function auditBallot(election, text, selections, randomness) {
    const b = JSON.parse(text);
    return b.answers.every((a, qi) => a.choices.every((c, ci) =>
      c.c === hex(ciphertextBytes(encrypt(election.jointKey, selections[qi][ci], randomness[qi][ci])))));
  }

  return {
    hex, unhex, concat, u32le, u64le, h32, h64, scalar, base, mul, add, sub, G, O,
    groupDescription, Transcript, voterContext, trusteeContext, encrypt, ciphertextBytes,
    proveRange, verifyRange, verifySchnorr, verifyDleq, toBase32, fromBase32,
    credentialFromCode, sign, allowedSums, encryptBallot, verifyBallot, auditBallot,
  };
}
