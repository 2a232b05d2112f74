// The trustees' and registrars' side of a Veche election on their own device: docs/protocol.md
// §6 (credentials), §7 (key generation), §8 (partial decryption), §9 (fingerprint), §10 (board)
// and §12 (the tally's aggregate), mirroring src/record/src/trustee.cpp byte for byte (checked by
// e2e/tests/ceremony_vectors.test.mjs and e2e/tests/js_ceremony_election.test.mjs).
//
// Nothing here trusts the server: the record is replayed from its lines (hash chain, signatures,
// every trustee proof, complaints judged, the fingerprint and joint key recomputed), and the
// aggregate a trustee decrypts is recomputed from the ballots themselves (the last one per
// credential before the close), because decrypting one ballot's α instead would unmask a vote.
//
// Usage: `const vk = makeCeremony(sodium)` with an initialised libsodium-wrappers-sumo.
// Secrets (key files, shares, codes) stay in the caller's memory; nothing here does I/O.

import { makeCrypto } from './veche-crypto.mjs';

const ZERO_HASH = '0'.repeat(64);
const MAX_LINE = 16 * 1024 * 1024;
const HEX32 = /^[0-9a-f]{64}$/;

export function makeCeremony(sodium, vc = makeCrypto(sodium)) {
  const { hex, unhex, concat, u32le, u64le, h32, base, mul, add, sub, O } = vc;
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const isZero = (b) => b.every((x) => x === 0);
  const sadd = (a, b) => sodium.crypto_core_ristretto255_scalar_add(a, b);
  const smul = (a, b) => sodium.crypto_core_ristretto255_scalar_mul(a, b);

  // §4: 64 uniform bytes reduced mod ℓ, a zero draw redrawn.
  function randomScalar() {
    for (;;) {
      const s = sodium.crypto_core_ristretto255_scalar_reduce(sodium.randombytes_buf(64));
      if (!isZero(s)) return s;
    }
  }
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const isCanonicalScalar = (s) => s.length === 32 && s.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n) < L;
  function point(text, what) {
    if (typeof text !== 'string' || !HEX32.test(text)) throw new Error(`${what}: 64 hex digits`);
    const p = unhex(text);
    if (!isZero(p) && !sodium.crypto_core_ristretto255_is_valid_point(p)) {
      throw new Error(`${what}: not a canonical Ristretto255 point`);
    }
    return p;
  }
  function hexBytes(text, n, what) {
    if (typeof text !== 'string' || text.length !== 2 * n || !/^[0-9a-f]*$/.test(text)) {
      throw new Error(`${what}: ${2 * n} hex digits`);
    }
    return unhex(text);
  }

  // §10.2: the canonical payload is JSON.stringify of an object built in protocol key order;
  // for the values a payload holds (strings, non-negative integers, arrays, objects with
  // non-numeric keys) that is exactly Boost.JSON's serialize().
  function canonical(value) {
    const walk = (v) => {
      if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) {
        throw new Error('a payload holds only non-negative integers');
      }
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (/^(0|[1-9][0-9]*)$/.test(k)) throw new Error('a payload key is never a number');
          walk(x);
        }
      }
    };
    walk(value);
    return JSON.stringify(value);
  }

  // §10.2: signed payloads end with "signer" and "sig"; the signature covers
  // H32("signed", type, canonical payload without "sig").
  function signPayload(type, payload, key) {
    const { sig: _sig, signer: _signer, ...rest } = payload;
    const unsigned = { ...rest, signer: hex(key.publicKey) };
    const digest = h32('signed', type, canonical(unsigned));
    return { ...unsigned, sig: hex(sodium.crypto_sign_detached(digest, key.secretKey)) };
  }
  // `payloadText`, when given, is the payload's canonical text as the record holds it: the
  // signed bytes are then that text without its last `,"sig":"…"` (no re-serialization).
  function checkSigned(type, payload, expectedSigner, payloadText = null) {
    const keys = Object.keys(payload);
    if (keys.at(-2) !== 'signer' || keys.at(-1) !== 'sig') {
      throw new Error(`${type}: must end with "signer" and "sig"`);
    }
    if (payload.signer !== expectedSigner) throw new Error(`${type}: signed by the wrong key`);
    const { sig, ...unsigned } = payload;
    const suffix = `,"sig":"${sig}"}`;
    const unsignedText = payloadText !== null && payloadText.endsWith(suffix)
      ? `${payloadText.slice(0, -suffix.length)}}` : canonical(unsigned);
    const digest = h32('signed', type, unsignedText);
    const ok = typeof sig === 'string' && /^[0-9a-f]{128}$/.test(sig) &&
      sodium.crypto_sign_verify_detached(unhex(sig), digest, unhex(payload.signer));
    if (!ok) throw new Error(`${type}: the signature does not verify`);
  }

  // §10.1: one event line and its hash.
  const eventHash = (seq, prev, type, payloadText) =>
    hex(h32('event', u64le(seq), unhex(prev), type, payloadText));
  function eventLine(seq, prev, type, payloadText) {
    const hash = eventHash(seq, prev, type, payloadText);
    const line = `{"seq":${seq},"prev":"${prev}","type":${JSON.stringify(type)},` +
      `"payload":${payloadText},"hash":"${hash}"}`;
    return { line, hash };
  }

  // §10.1-§10.2: the record's lines, canonical and hash-chained. Returns
  // [{seq, prev, type, payload, payloadText, hash}]; throws naming the first bad line.
  function parseRecord(text) {
    if (text === '') return [];
    if (!text.endsWith('\n')) throw new Error('the record does not end with a newline');
    const lines = text.slice(0, -1).split('\n');
    let prev = ZERO_HASH;
    return lines.map((line, i) => {
      const where = `line ${i + 1}`;
      if (line.length > MAX_LINE) throw new Error(`${where}: longer than 16 MiB`);
      let v;
      try {
        v = JSON.parse(line);
      } catch {
        throw new Error(`${where}: not JSON`);
      }
      if (!v || typeof v !== 'object' || JSON.stringify(v) !== line ||
          Object.keys(v).join() !== 'seq,prev,type,payload,hash') {
        throw new Error(`${where}: not in canonical form`);
      }
      if (v.seq !== i) throw new Error(`${where}: seq ${v.seq} where ${i} was expected`);
      if (v.prev !== prev) throw new Error(`${where}: prev is not the previous event's hash`);
      const prefix = `{"seq":${v.seq},"prev":"${v.prev}","type":${JSON.stringify(v.type)},"payload":`;
      const payloadText = line.slice(prefix.length, line.length - (9 + 64 + 2));
      if (eventHash(v.seq, v.prev, v.type, payloadText) !== v.hash) {
        throw new Error(`${where}: the hash does not match the event`);
      }
      prev = v.hash;
      return { seq: v.seq, prev: v.prev, type: v.type, payload: v.payload, payloadText, hash: v.hash };
    });
  }

  // Key files, the CLI's format (app/commands/election_board.hpp), so a trustee can switch
  // between the browser and `veche trustee`.
  const KINDS = { trustee: 'veche-trustee-key', registrar: 'veche-registrar-key', admin: 'veche-admin-key' };
  function keyFromSeed(seed) {
    const k = sodium.crypto_sign_seed_keypair(seed);
    return { publicKey: k.publicKey, secretKey: k.privateKey };
  }
  function makeKeyFile(role) {
    const kind = KINDS[role];
    if (!kind) throw new Error(`no key file for the role "${role}"`);
    const o = { kind, sign_seed: hex(sodium.randombytes_buf(32)) };
    if (role === 'trustee') o.enc_secret = hex(randomScalar());
    return { text: JSON.stringify(o) + '\n', publicKey: hex(keyFromSeed(unhex(o.sign_seed)).publicKey) };
  }
  function readKeyFile(text, role) {
    let o;
    try {
      o = JSON.parse(text);
    } catch {
      throw new Error('this is not a key file');
    }
    if (!o || o.kind !== KINDS[role]) throw new Error(`this is not a ${role} key file`);
    const key = keyFromSeed(hexBytes(o.sign_seed, 32, 'sign_seed'));
    if (role === 'trustee') {
      key.encSecret = hexBytes(o.enc_secret, 32, 'enc_secret');
      if (!isCanonicalScalar(key.encSecret) || isZero(key.encSecret)) {
        throw new Error('enc_secret: not a scalar');
      }
    }
    return key;
  }
  const keyFingerprint = (publicKey) => hex(h32('key-fingerprint', publicKey)).slice(0, 16);

  // §5.1 and §5.2, the prover's side.
  function proveSchnorr(ctx, x, X) {
    const w = randomScalar();
    const a = base(w);
    const c = new vc.Transcript('schnorr', ctx.context, ctx.bind).append('X', X).append('A', a).challenge();
    return concat(a, sadd(w, smul(c, x)));
  }
  function proveDleq(tag, ctx, x, X, P, Y) {
    const w = randomScalar();
    const a = base(w);
    const b = mul(w, P);
    const c = new vc.Transcript(tag, ctx.context, ctx.bind)
      .append('X', X).append('P', P).append('Y', Y).append('A', a).append('B', b).challenge();
    return concat(a, b, sadd(w, smul(c, x)));
  }

  // §7: Feldman evaluation Σ x^k·C_k, share encryption and decryption.
  function feldmanEval(commitments, x) {
    let acc = O;
    let power = vc.scalar(1);
    for (const c of commitments) {
      acc = add(acc, mul(power, c));
      power = smul(power, vc.scalar(x));
    }
    return acc;
  }
  const NONCE = new Uint8Array(24);  // each share key is used once
  const shareKey = (r, encKeyTo, k, from, to) => h32('share-key', r, encKeyTo, k, u32le(from), u32le(to));
  function encryptShare(from, to, encKeyTo, share) {
    const rho = randomScalar();
    const r = base(rho);
    const key = shareKey(r, encKeyTo, mul(rho, encKeyTo), from, to);
    return { to, r: hex(r), ct: hex(sodium.crypto_secretbox_easy(share, NONCE, key)) };
  }
  // The share s_ij opened with K = e_j·R (or a published K), or null when it does not open or is
  // not a canonical scalar.
  function openShareWithK(from, to, encKeyTo, share, k) {
    try {
      const s = sodium.crypto_secretbox_open_easy(share.ct, NONCE, shareKey(share.r, encKeyTo, k, from, to));
      return isCanonicalScalar(s) ? s : null;
    } catch {
      return null;
    }
  }
  // §8: λ_j = Π_{m∈P, m≠j} m / (m − j) mod ℓ.
  function lagrange(indices, j) {
    let num = vc.scalar(1);
    let den = vc.scalar(1);
    for (const m of indices) {
      if (m === j) continue;
      num = smul(num, vc.scalar(m));
      den = smul(den, vc.scalar(m - j));
    }
    return smul(num, sodium.crypto_core_ristretto255_scalar_invert(den));
  }
  const shareChecks = (s, commitments, j) => s !== null && equal(base(s), feldmanEval(commitments, j));

  // Replays a parsed record (parseRecord) into the state every step below reads. Checks what a
  // trustee or registrar relies on: signatures by the keys the setup names, the trustees'
  // proofs, complaints (judged, §7.4), the opening's joint key and fingerprint (recomputed), the
  // ballots' credentials, signatures, fingerprint and the replay rule, and keeps the last ballot
  // per credential until the close. `checkBallotProofs` also verifies every ballot's range
  // proofs (slow: the server and veche-verify do it too). Throws naming the bad event.
  function replay(events, { checkBallotProofs = false } = {}) {
    const st = {
      phase: 'empty', setup: null, setupHash: null, head: ZERO_HASH, events: events.length,
      encKeys: new Map(), deals: new Map(), complaints: new Set(), disqualified: new Set(),
      credentials: [], credentialSet: new Set(), registrarsDone: new Set(), jointKey: null,
      fingerprint: null, qualified: [],
      verificationKeys: [], lastBallot: new Map(), alphaOwner: new Map(), ballotEvents: 0,
      partials: new Map(), result: null,
    };
    for (const e of events) {
      try {
        applyEvent(st, e, checkBallotProofs);
      } catch (err) {
        throw new Error(`event ${e.seq} (${e.type}): ${err.message}`);
      }
      st.head = e.hash;
    }
    return st;
  }

  function index(value, n, what) {
    if (!Number.isSafeInteger(value) || value < 1 || value > n) throw new Error(`${what}: 1 to ${n}`);
    return value;
  }

  function applyEvent(st, e, checkBallotProofs) {
    const p = e.payload;
    const s = st.setup;
    const n = s ? s.trustees.length : 0;
    const expect = (phase) => {
      if (st.phase !== phase) throw new Error(`out of order (the election is in phase ${st.phase})`);
    };
    switch (e.type) {
      case 'setup':
        if (e.seq !== 0) throw new Error('the setup must be event 0');
        checkSigned('setup', p, p.administrator);
        st.setup = p;
        st.setupHash = h32('setup', e.payloadText);
        st.phase = 'setup';
        return;
      case 'trustee_key': {
        expect('setup');
        if (st.deals.size) throw new Error('trustee keys come before any deal');
        const i = index(p.trustee, n, 'trustee');
        checkSigned(e.type, p, s.trustees[i - 1].key);
        if (st.encKeys.has(i)) throw new Error('a second key for a trustee');
        const key = point(p.enc_key, 'enc_key');
        if (!vc.verifySchnorr(vc.trusteeContext(st.setupHash, i), key, hexBytes(p.proof, 64, 'proof'))) {
          throw new Error('the Schnorr proof does not verify');
        }
        st.encKeys.set(i, key);
        return;
      }
      case 'trustee_deal': {
        expect('setup');
        if (st.encKeys.size !== n) throw new Error('deals come after every trustee key');
        const i = index(p.trustee, n, 'trustee');
        checkSigned(e.type, p, s.trustees[i - 1].key);
        if (st.deals.has(i)) throw new Error('a second deal by a trustee');
        if (!Array.isArray(p.commitments) || p.commitments.length !== s.threshold) {
          throw new Error(`expected ${s.threshold} commitments`);
        }
        const commitments = p.commitments.map((c, k) => point(c, `commitment ${k}`));
        const proof = hexBytes(p.proof, 64, 'proof');
        if (!vc.verifySchnorr(vc.trusteeContext(st.setupHash, i), commitments[0], proof)) {
          throw new Error('constant-term proof does not verify');
        }
        if (!Array.isArray(p.shares) || p.shares.length !== n) {
          throw new Error('expected one share per trustee');
        }
        const shares = p.shares.map((sh, j) => {
          if (sh.to !== j + 1) throw new Error('shares must be in trustee order');
          return { to: sh.to, r: point(sh.r, 'r'), ct: hexBytes(sh.ct, 48, 'ct') };
        });
        st.deals.set(i, { commitments, shares });
        return;
      }
      case 'trustee_complaint': {
        expect('setup');
        const j = index(p.trustee, n, 'trustee');
        checkSigned(e.type, p, s.trustees[j - 1].key);
        const i = index(p.against, n, 'against');
        if (i === j || !st.deals.has(i)) {
          throw new Error("a complaint must be against another trustee's deal");
        }
        if (st.complaints.has(`${j}:${i}`)) throw new Error('a repeated complaint');
        st.complaints.add(`${j}:${i}`);
        const k = point(p.k, 'k');
        const deal = st.deals.get(i);
        const share = deal.shares[j - 1];
        const ctx = vc.trusteeContext(st.setupHash, j);
        const proof = hexBytes(p.proof, 96, 'proof');
        const honest = vc.verifyDleq('complaint', ctx, st.encKeys.get(j), share.r, k, proof) &&
          !shareChecks(openShareWithK(i, j, st.encKeys.get(j), share, k), deal.commitments, j);
        st.disqualified.add(honest ? i : j);
        return;
      }
      case 'credentials': {
        expect('setup');
        const r = index(p.registrar, s.registrars.length, 'registrar');
        checkSigned(e.type, p, s.registrars[r - 1].key);
        if (st.registrarsDone.has(r)) throw new Error('a second list from a registrar');
        if (!Array.isArray(p.credentials)) throw new Error('credentials: a list');
        p.credentials.forEach((c, k) => {
          if (typeof c !== 'string' || !HEX32.test(c)) throw new Error(`credential ${k} is not 32-byte hex`);
          if (k > 0 && !(p.credentials[k - 1] < c)) {
            throw new Error('credentials must be sorted and distinct');
          }
        });
        const merged = [...st.credentials, ...p.credentials].sort();
        if (merged.some((c, k) => k > 0 && merged[k - 1] === c)) {
          throw new Error('a credential listed by two registrars');
        }
        st.registrarsDone.add(r);
        st.credentials = merged;
        st.credentialSet = new Set(merged);
        return;
      }
      case 'open': {
        expect('setup');
        if (st.registrarsDone.size !== s.registrars.length) {
          throw new Error('opened before every registrar published');
        }
        checkSigned(e.type, p, s.administrator);
        const { qualified: q, jointKey, fingerprint } = computeOpening(st);
        if (p.joint_key !== hex(jointKey)) throw new Error('the joint key is not recomputed');
        if (JSON.stringify(p.qualified) !== JSON.stringify(q)) {
          throw new Error('the qualified set is not recomputed');
        }
        if (p.fingerprint !== hex(fingerprint)) throw new Error('the fingerprint is not recomputed');
        st.qualified = q;
        st.jointKey = jointKey;
        st.fingerprint = fingerprint;
        for (let j = 1; j <= n; j++) {
          st.verificationKeys[j] = q.reduce((x, i) => add(x, feldmanEval(st.deals.get(i).commitments, j)), O);
        }
        st.phase = 'open';
        return;
      }
      case 'ballot':
        expect('open');
        applyBallot(st, e, checkBallotProofs);
        return;
      case 'close':
        expect('open');
        checkSigned(e.type, p, s.administrator);
        if (p.ballots !== st.ballotEvents) throw new Error('close does not count the ballot events');
        st.phase = 'closed';
        return;
      case 'partial_decryption': {
        expect('closed');
        const j = index(p.trustee, n, 'trustee');
        checkSigned(e.type, p, s.trustees[j - 1].key);
        if (!st.qualified.includes(j)) throw new Error('not a qualified trustee');
        if (st.partials.has(j)) throw new Error('this trustee has decrypted already');
        st.partials.set(j, p);  // its proofs are checked by the server and veche-verify
        return;
      }
      case 'result':
        expect('closed');
        checkSigned(e.type, p, s.administrator);
        st.result = p;
        st.phase = 'done';
        return;
      default:
        throw new Error('an unknown event type');
    }
  }

  const qualified = (st) => [...st.deals.keys()].filter((i) => !st.disqualified.has(i)).sort((a, b) => a - b);

  // §7.5 and §9: the qualified set, the joint key and the fingerprint an opening must name.
  function computeOpening(st) {
    const q = qualified(st);
    if (q.length < st.setup.threshold) {
      throw new Error(`${q.length} qualified trustees, ${st.setup.threshold} needed`);
    }
    const jointKey = q.reduce((h, i) => add(h, st.deals.get(i).commitments[0]), O);
    if (isZero(jointKey)) throw new Error('the joint key is the identity');
    const all = new Uint8Array(32 * st.credentials.length);
    st.credentials.forEach((c, k) => all.set(unhex(c), 32 * k));
    const creds = h32('credentials', all);
    const qbytes = concat(u32le(q.length), ...q.map(u32le));
    const cbytes = concat(...q.map((i) => st.deals.get(i).commitments[0]));
    const fingerprint = h32('fingerprint', st.setupHash, jointKey, creds, qbytes, cbytes);
    return { qualified: q, jointKey, fingerprint };
  }

  // §11, §12: ballots are checked as the board does (credential listed, signature, fingerprint,
  // shape, canonical points, no ciphertext copied from another credential), and the last one per
  // credential is kept for the aggregate.
  function applyBallot(st, e, checkBallotProofs) {
    const b = e.payload;
    const s = st.setup;
    if (Object.keys(b).join() !== 'election,credential,answers,signer,sig') throw new Error('not a ballot');
    if (!st.credentialSet.has(b.credential)) {
      throw new Error('the credential is not on the credential lists');
    }
    if (b.election !== hex(st.fingerprint)) {
      throw new Error("the ballot names another election's fingerprint");
    }
    checkSigned('ballot', b, b.credential, e.payloadText);
    if (!Array.isArray(b.answers) || b.answers.length !== s.questions.length) {
      throw new Error('one answer per question');
    }
    const cts = b.answers.map((a, q) => {
      if (!a || !Array.isArray(a.choices) || a.choices.length !== s.questions[q].choices.length) {
        throw new Error(`answer ${q}: one ciphertext per choice`);
      }
      // The points are decoded (so checked canonical) once, by the aggregate's additions.
      return a.choices.map((c) => {
        const raw = hexBytes(c.c, 64, 'ciphertext');
        return { alpha: raw.subarray(0, 32), beta: raw.subarray(32), prefix: c.c.slice(0, 32) };
      });
    });
    if (checkBallotProofs) {
      const election = { fingerprint: st.fingerprint, jointKey: st.jointKey, questions: s.questions };
      if (!vc.verifyBallot(election, e.payloadText)) throw new Error('a proof does not verify');
    }
    for (const row of cts) {
      for (const ct of row) {
        const owner = st.alphaOwner.get(ct.prefix);
        if (owner === undefined) st.alphaOwner.set(ct.prefix, b.credential);
        else if (owner !== b.credential) {
          throw new Error("a ciphertext copied from another credential's ballot (replay)");
        }
      }
    }
    st.lastBallot.delete(b.credential);  // a revote moves the credential to the end
    st.lastBallot.set(b.credential, cts);
    st.ballotEvents += 1;
  }

  // §12: Σ of the counted ballots' ciphertexts per question and choice, from (O, O).
  function aggregate(st) {
    const rows = st.setup.questions.map((q) => q.choices.map(() => ({ alpha: O, beta: O })));
    for (const [credential, cts] of st.lastBallot) {
      try {
        cts.forEach((row, q) => row.forEach((ct, c) => {
          const cell = rows[q][c];
          cell.alpha = add(cell.alpha, ct.alpha);
          cell.beta = add(cell.beta, ct.beta);
        }));
      } catch {
        throw new Error(`the ballot of credential ${credential} holds a ciphertext that is ` +
                        'not a canonical point');
      }
    }
    // A cell that saw one ballot only was never decoded by an addition.
    for (const row of rows) {
      for (const cell of row) for (const p of [cell.alpha, cell.beta]) point(hex(p), 'the aggregate');
    }
    return rows;
  }

  // Which trustee slot a key holds (1-based), or 0.
  const trusteeIndex = (st, key) => st.setup.trustees.findIndex((t) => t.key === hex(key.publicKey)) + 1;
  const registrarIndex = (st, key) => st.setup.registrars.findIndex((r) => r.key === hex(key.publicKey)) + 1;

  // What trustee `i` does next: {step, detail}; steps: key, wait-keys, deal, wait-deals, check,
  // wait-open, wait-close, decrypt, done, disqualified.
  function trusteeNext(st, i) {
    const n = st.setup.trustees.length;
    if (st.phase === 'setup') {
      if (!st.encKeys.has(i)) return { step: 'key' };
      if (st.encKeys.size < n) return { step: 'wait-keys', have: st.encKeys.size, of: n };
      if (!st.deals.has(i)) return { step: 'deal' };
      if (st.deals.size < n) return { step: 'wait-deals', have: st.deals.size, of: n };
      return { step: 'check' };
    }
    if (!st.qualified.includes(i)) return { step: 'disqualified' };
    if (st.phase === 'open') return { step: 'wait-close' };
    if (st.phase === 'closed' && !st.partials.has(i)) return { step: 'decrypt' };
    return { step: 'done', partials: st.partials.size, of: st.setup.threshold };
  }

  // §7.1: the trustee_key payload.
  function trusteeKey(st, i, key) {
    const e = base(key.encSecret);
    const proof = proveSchnorr(vc.trusteeContext(st.setupHash, i), key.encSecret, e);
    return signPayload('trustee_key', { trustee: i, enc_key: hex(e), proof: hex(proof) }, key);
  }

  // §7.2: the trustee_deal payload; the polynomial is forgotten (the dealer's own share is in the
  // deal, encrypted to itself, so the key file is all a trustee keeps).
  function trusteeDeal(st, i, key) {
    const n = st.setup.trustees.length;
    if (st.encKeys.size !== n) {
      throw new Error(`not every trustee has published a key yet (${st.encKeys.size} of ${n})`);
    }
    const coeffs = Array.from({ length: st.setup.threshold }, randomScalar);
    const commitments = coeffs.map(base);
    const proof = proveSchnorr(vc.trusteeContext(st.setupHash, i), coeffs[0], commitments[0]);
    const shares = [];
    for (let j = 1; j <= n; j++) {
      let s = vc.scalar(0);  // Horner
      for (let k = coeffs.length - 1; k >= 0; k--) s = sadd(smul(s, vc.scalar(j)), coeffs[k]);
      shares.push(encryptShare(i, j, st.encKeys.get(j), s));
    }
    const payload = { trustee: i, commitments: commitments.map(hex), proof: hex(proof), shares };
    return signPayload('trustee_deal', payload, key);
  }

  // §7.3-§7.4: checks every other deal's share for trustee i; returns a signed complaint for
  // each bad one not complained about yet (none when every share is good).
  function checkDeals(st, i, key) {
    const mine = st.encKeys.get(i);
    const complaints = [];
    for (const [d, deal] of [...st.deals].sort((a, b) => a[0] - b[0])) {
      if (d === i || st.complaints.has(`${i}:${d}`)) continue;
      const share = deal.shares[i - 1];
      const k = mul(key.encSecret, share.r);
      if (shareChecks(openShareWithK(d, i, mine, share, k), deal.commitments, i)) continue;
      const ctx = vc.trusteeContext(st.setupHash, i);
      const proof = proveDleq('complaint', ctx, key.encSecret, mine, share.r, k);
      const payload = { trustee: i, against: d, k: hex(k), proof: hex(proof) };
      complaints.push(signPayload('trustee_complaint', payload, key));
    }
    return complaints;
  }

  // §7.5: x_i = Σ_{d∈Q} s_di, checked against the verification key X_i.
  function deriveShare(st, i, key) {
    if (!st.fingerprint) throw new Error('the election is not open yet');
    const mine = st.encKeys.get(i);
    let x = vc.scalar(0);
    for (const d of st.qualified) {
      const deal = st.deals.get(d);
      const s = openShareWithK(d, i, mine, deal.shares[i - 1], mul(key.encSecret, deal.shares[i - 1].r));
      if (!shareChecks(s, deal.commitments, i)) {
        throw new Error(`the share from trustee ${d} does not check; it should have been complained about`);
      }
      x = sadd(x, s);
    }
    if (!equal(base(x), st.verificationKeys[i])) {
      throw new Error(`this share does not match trustee ${i}'s verification key`);
    }
    return x;
  }

  // §8: the partial_decryption payload for the aggregate recomputed here.
  function partialDecryption(st, i, key, rows = aggregate(st)) {
    if (st.phase !== 'closed') throw new Error('the election is not closed');
    if (!st.qualified.includes(i)) throw new Error(`trustee ${i} is not a qualified trustee`);
    const x = deriveShare(st, i, key);
    const ctx = vc.trusteeContext(st.fingerprint, i);
    const X = st.verificationKeys[i];
    const factors = rows.map((row) => row.map((ct) => {
      const d = mul(x, ct.alpha);
      return { d: hex(d), proof: hex(proveDleq('dleq', ctx, x, X, ct.alpha, d)) };
    }));
    return signPayload('partial_decryption', { trustee: i, factors }, key);
  }

  // §6: a registrar's codes (15 random bytes, base32 in groups of four) and the credentials
  // event with the public credentials sorted bytewise (lowercase hex sorts the same way).
  function makeCode() {
    return vc.toBase32(sodium.randombytes_buf(15)).match(/.{4}/g).join('-');
  }
  const publicCredential = (electionId, code) => hex(vc.credentialFromCode(electionId, code).publicKey);
  function credentialsPayload(registrar, publicCredentials, key) {
    const sorted = [...publicCredentials].sort();
    if (sorted.some((c, k) => k > 0 && sorted[k - 1] === c)) throw new Error('a credential twice');
    return signPayload('credentials', { registrar, credentials: sorted }, key);
  }
  // N codes and their signed credentials event, for the registrar at slot `registrar`.
  // `onProgress(done, voters)`, when given, is awaited every 2,000 credentials (a page redraws).
  async function issueCredentials(st, registrar, key, voters, onProgress = null) {
    if (!Number.isSafeInteger(voters) || voters < 1 || voters > 10_000_000) {
      throw new Error('voters: 1 to 10,000,000');
    }
    const codes = [];
    const credentials = [];
    for (let k = 1; k <= voters; k++) {
      const code = makeCode();
      codes.push(code);
      credentials.push(publicCredential(st.setup.election_id, code));
      if (onProgress && (k % 2000 === 0 || k === voters)) await onProgress(k, voters);
    }
    const payload = credentialsPayload(registrar, credentials, key);
    return { codes, payload };
  }

  return {
    canonical, signPayload, checkSigned, eventHash, eventLine, parseRecord, makeKeyFile,
    readKeyFile, keyFingerprint, randomScalar, proveSchnorr, proveDleq, feldmanEval, lagrange, encryptShare,
    openShareWithK, replay, computeOpening, aggregate, trusteeIndex, registrarIndex, trusteeNext, trusteeKey,
    trusteeDeal, checkDeals, deriveShare, partialDecryption, makeCode, publicCredential,
    credentialsPayload, issueCredentials,
  };
}
