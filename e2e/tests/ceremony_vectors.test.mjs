// The trustees' and registrars' cryptography in the browser (web/static/js/veche-ceremony.mjs)
// against the C++ core's known-answer vectors (tests/vectors/crypto/vectors.json): Feldman
// evaluation, the share the core encrypted opens here, Lagrange coefficients, codes; the proofs
// made here verify with the checker already matched to the core and fail for another trustee or
// statement; records are parsed with their hash chain and rejected once a byte changes. Whole
// events against the C++ tools: e2e/tests/js_ceremony_election.test.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { makeCeremony } from '../../web/static/js/veche-ceremony.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const v = JSON.parse(readFileSync(join(root, 'tests', 'vectors', 'crypto', 'vectors.json'), 'utf8'));
let sodium;
let vc;
let vk;

before(async () => {
  sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  vk = makeCeremony(sodium, vc);
});

const fill = (n, byte) => new Uint8Array(n).fill(byte);

test("Feldman evaluation, the core's encrypted share and Lagrange coefficients match", () => {
  const commitments = v.feldman_commitments.map(vc.unhex);
  const share = vc.unhex(v.share_for_3);
  assert.equal(vc.hex(vk.feldmanEval(commitments, 3)), vc.hex(vc.base(share)));
  assert.notEqual(vc.hex(vk.feldmanEval(commitments, 2)), vc.hex(vc.base(share)));
  // The core encrypted share_for_3 from trustee 2 to trustee 3 whose key is public_key.
  const x = vc.unhex(v.secret_key);
  const h = vc.unhex(v.public_key);
  const enc = { r: vc.unhex(v.encrypted_share_r), ct: vc.unhex(v.encrypted_share_ct) };
  const k = vc.mul(x, enc.r);
  assert.equal(vc.hex(vk.openShareWithK(2, 3, h, enc, k)), v.share_for_3);
  assert.equal(vk.openShareWithK(1, 3, h, enc, k), null);  // bound to the dealer's index
  assert.equal(vk.openShareWithK(2, 3, h, enc, vc.base(x)), null);
  assert.equal(vc.hex(vk.lagrange([1, 3], 1)), v.lagrange_1_of_1_3);
  // λ_1 + λ_3 interpolate a constant: at zero they sum to 1.
  const one = sodium.crypto_core_ristretto255_scalar_add(vk.lagrange([1, 3], 1), vk.lagrange([1, 3], 3));
  assert.equal(vc.hex(one), vc.hex(vc.scalar(1)));
});

test('a share encrypted here opens with the recipient key only and checks against the commitments', () => {
  const e = vk.randomScalar();
  const E = vc.base(e);
  const a = [vk.randomScalar(), vk.randomScalar()];
  const commitments = a.map(vc.base);
  const s = sodium.crypto_core_ristretto255_scalar_add(
    a[0], sodium.crypto_core_ristretto255_scalar_mul(a[1], vc.scalar(2)));
  const enc = vk.encryptShare(1, 2, E, s);
  const share = { r: vc.unhex(enc.r), ct: vc.unhex(enc.ct) };
  assert.equal(enc.to, 2);
  assert.equal(enc.ct.length, 96);
  const opened = vk.openShareWithK(1, 2, E, share, vc.mul(e, share.r));
  assert.equal(vc.hex(opened), vc.hex(s));
  assert.equal(vc.hex(vk.feldmanEval(commitments, 2)), vc.hex(vc.base(opened)));
  assert.equal(vk.openShareWithK(1, 2, E, share, vc.mul(vk.randomScalar(), share.r)), null);
});

test('proofs made here verify with the core-compatible checker, only for their statement', () => {
  const x = vk.randomScalar();
  const X = vc.base(x);
  const ctx = vc.trusteeContext(fill(32, 0xcc), 2);
  const schnorr = vk.proveSchnorr(ctx, x, X);
  assert.ok(vc.verifySchnorr(ctx, X, schnorr));
  assert.equal(vc.verifySchnorr(vc.trusteeContext(fill(32, 0xcc), 3), X, schnorr), false);
  assert.equal(vc.verifySchnorr(vc.trusteeContext(fill(32, 0xcd), 2), X, schnorr), false);
  const P = vc.base(vk.randomScalar());
  const Y = vc.mul(x, P);
  const dleq = vk.proveDleq('dleq', ctx, x, X, P, Y);
  assert.ok(vc.verifyDleq('dleq', ctx, X, P, Y, dleq));
  assert.equal(vc.verifyDleq('complaint', ctx, X, P, Y, dleq), false);
  assert.equal(vc.verifyDleq('dleq', ctx, X, P, vc.base(x), dleq), false);
  // The core's DLEQ vector checks with the same verifier (already matched to the core).
  const raw = vc.unhex(v.ciphertext);
  assert.ok(vc.verifyDleq('dleq', ctx, vc.unhex(v.public_key), raw.slice(0, 32),
                          vc.unhex(v.partial_decryption), vc.unhex(v.dleq_proof)));
  // A partial decryption of the identity (an empty tally) proves too.
  const onO = vk.proveDleq('dleq', ctx, x, X, vc.O, vc.O);
  assert.ok(vc.verifyDleq('dleq', ctx, X, vc.O, vc.O, onO));
});

test("registrar codes have the core's shape and give the core's credential", () => {
  const code = vk.makeCode();
  assert.match(code, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
  assert.equal(vk.publicCredential('vector-election', v.credential_code), v.credential_public);
  assert.notEqual(vk.makeCode(), code);
});

test('canonical payloads, signatures, event lines and the hash chain', () => {
  assert.equal(vk.canonical({ a: 'x"\\\n\u0001é/', b: [1, 2], c: { d: 0 } }),
               '{"a":"x\\"\\\\\\n\\u0001é/","b":[1,2],"c":{"d":0}}');
  assert.throws(() => vk.canonical({ a: 1.5 }), /non-negative integers/);
  assert.throws(() => vk.canonical({ a: -1 }), /non-negative integers/);
  const admin = vk.readKeyFile(vk.makeKeyFile('trustee').text, 'trustee');
  const signed = vk.signPayload('close', { ballots: 3 }, admin);
  assert.deepEqual(Object.keys(signed), ['ballots', 'signer', 'sig']);
  vk.checkSigned('close', signed, vc.hex(admin.publicKey));
  assert.throws(() => vk.checkSigned('open', signed, vc.hex(admin.publicKey)), /does not verify/);
  assert.throws(() => vk.checkSigned('close', { ...signed, ballots: 4 }, vc.hex(admin.publicKey)), /does not verify/);
  assert.throws(() => vk.checkSigned('close', signed, '00'.repeat(32)), /wrong key/);
  // Re-signing gives the same bytes (Ed25519 is deterministic).
  assert.deepEqual(vk.signPayload('close', signed, admin), signed);

  const first = vk.eventLine(0, '0'.repeat(64), 'close', vk.canonical(signed));
  const second = vk.eventLine(1, first.hash, 'close', vk.canonical(signed));
  const text = `${first.line}\n${second.line}\n`;
  const events = vk.parseRecord(text);
  assert.equal(events.length, 2);
  assert.equal(events[1].payloadText, vk.canonical(signed));
  assert.equal(events[1].hash, second.hash);
  assert.equal(vk.eventHash(1, first.hash, 'close', vk.canonical(signed)), second.hash);
  assert.throws(() => vk.parseRecord(text.replace('"ballots":3', '"ballots":4')), /line 1: the hash/);
  assert.throws(() => vk.parseRecord(text.replace('{"seq":1', '{ "seq":1')), /line 2: not in canonical form/);
  assert.throws(() => vk.parseRecord(`${second.line}\n`), /line 1: seq 1/);
  assert.throws(() => vk.parseRecord(`${first.line}\n${first.line}\n`), /line 2: seq 0/);
  assert.throws(() => vk.parseRecord(text.slice(0, -1)), /newline/);
});

test('key files: the CLI format, read back, refused for another role', () => {
  const t = vk.makeKeyFile('trustee');
  const o = JSON.parse(t.text);
  assert.deepEqual(Object.keys(o), ['kind', 'sign_seed', 'enc_secret']);
  assert.equal(o.kind, 'veche-trustee-key');
  assert.ok(t.text.endsWith('}\n'));
  const key = vk.readKeyFile(t.text, 'trustee');
  assert.equal(vc.hex(key.publicKey), t.publicKey);
  assert.equal(vc.hex(key.encSecret), o.enc_secret);
  assert.match(vk.keyFingerprint(key.publicKey), /^[0-9a-f]{16}$/);
  const r = vk.makeKeyFile('registrar');
  assert.deepEqual(Object.keys(JSON.parse(r.text)), ['kind', 'sign_seed']);
  assert.throws(() => vk.readKeyFile(r.text, 'trustee'), /not a trustee key file/);
  assert.throws(() => vk.readKeyFile('nonsense', 'trustee'), /not a key file/);
  const bad = JSON.stringify({ ...o, enc_secret: 'ff'.repeat(32) });
  assert.throws(() => vk.readKeyFile(bad, 'trustee'), /not a scalar/);
});

test('the aggregate adds the counted ciphertexts and refuses a point that is not canonical', () => {
  const h = vc.base(vk.randomScalar());
  const r = [vk.randomScalar(), vk.randomScalar()];
  const cts = [vc.encrypt(h, 1, r[0]), vc.encrypt(h, 0, r[1])];
  const state = (cells) => ({
    setup: { questions: [{ choices: ['a'] }] },
    lastBallot: new Map(cells.map((ct, k) => [`cred${k}`, [[ct]]])),
  });
  const [sum] = vk.aggregate(state(cts))[0];
  const rSum = sodium.crypto_core_ristretto255_scalar_add(r[0], r[1]);
  assert.equal(vc.hex(vc.ciphertextBytes(sum)), vc.hex(vc.ciphertextBytes(vc.encrypt(h, 1, rSum))));
  const [empty] = vk.aggregate(state([]))[0];
  assert.equal(vc.hex(empty.alpha), vc.hex(vc.O));
  const bad = { alpha: fill(32, 0xff), beta: cts[0].beta };
  assert.throws(() => vk.aggregate(state([cts[0], bad])), /credential cred1 .* not a canonical point/);
  assert.throws(() => vk.aggregate(state([bad])), /not a canonical Ristretto255 point/);
});
