// The browser's election cryptography (web/static/js/veche-crypto.mjs) against the C++ core's
// known-answer vectors (tests/vectors/crypto/vectors.json, made by tests/crypto/vectors_test.cpp):
// the same group, hashes, transcripts, ciphertexts and credentials; the C++ proofs verify here;
// and ballots made here verify, audit, and fail once a byte changes. Runs in Node with the same
// libsodium-wrappers-sumo the browser is served.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const v = JSON.parse(readFileSync(join(root, 'tests', 'vectors', 'crypto', 'vectors.json'), 'utf8'));
let vc;

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
});

const fill = (n, byte) => new Uint8Array(n).fill(byte);

test('group, hashes and transcripts match the C++ core byte for byte', () => {
  assert.equal(vc.hex(vc.groupDescription), v.group_description);
  assert.deepEqual([0, 1, 2, 3, 255].map((k) => vc.hex(vc.base(vc.scalar(k)))), v.base_multiples_0_1_2_3_255);
  assert.equal(vc.hex(vc.h32('tracker', 'abc')), v.h32_tracker_abc);
  assert.equal(vc.hex(vc.h64('transcript', 'abc')), v.h64_transcript_abc);
  const t = new vc.Transcript('range', fill(32, 0xcc), fill(32, 0x11));
  assert.equal(vc.hex(t.append('X', vc.G).challenge()), v.transcript_challenge);
  assert.equal(vc.toBase32(Uint8Array.from({ length: 15 }, (_, i) => i)), v.base32_of_0_to_14);
});

test('encryption with the same randomness gives the same ciphertext', () => {
  const pk = vc.unhex(v.public_key);
  assert.equal(vc.hex(vc.base(vc.unhex(v.secret_key))), v.public_key);
  const ct = vc.encrypt(pk, v.encrypt_m, vc.unhex(v.encrypt_r));
  assert.equal(vc.hex(vc.ciphertextBytes(ct)), v.ciphertext);
});

test("the core's proofs verify here and fail when a byte changes", () => {
  const pk = vc.unhex(v.public_key);
  const raw = vc.unhex(v.ciphertext);
  const ct = { alpha: raw.slice(0, 32), beta: raw.slice(32) };
  const voter = vc.voterContext(fill(32, 0xcc), fill(32, 0x11));
  const trustee = vc.trusteeContext(fill(32, 0xcc), 2);
  assert.ok(vc.verifyRange(voter, pk, ct, [0, 1], vc.unhex(v.zero_one_proof)));
  assert.ok(vc.verifyRange(voter, pk, ct, [0, 1, 2], vc.unhex(v.sum_proof_values_0_1_2)));
  assert.ok(vc.verifySchnorr(trustee, pk, vc.unhex(v.schnorr_proof)));
  assert.ok(vc.verifyDleq('dleq', trustee, pk, ct.alpha, vc.unhex(v.partial_decryption),
                          vc.unhex(v.dleq_proof)));
  // Another credential, another statement or a changed response: refused.
  assert.equal(vc.verifyRange(vc.voterContext(fill(32, 0xcc), fill(32, 0x12)), pk, ct, [0, 1],
                              vc.unhex(v.zero_one_proof)), false);
  assert.equal(vc.verifyRange(voter, pk, ct, [0, 2], vc.unhex(v.zero_one_proof)), false);
  const bent = vc.unhex(v.zero_one_proof);
  bent[100] ^= 1;
  assert.equal(vc.verifyRange(voter, pk, ct, [0, 1], bent), false);
  assert.equal(vc.verifySchnorr(vc.trusteeContext(fill(32, 0xcc), 3), pk, vc.unhex(v.schnorr_proof)),
               false);
});

test('a credential code gives the same key and signature as the core', () => {
  const c = vc.credentialFromCode('vector-election', v.credential_code);
  assert.equal(vc.hex(c.publicKey), v.credential_public);
  assert.equal(vc.hex(vc.sign(c, new TextEncoder().encode('abc'))), v.credential_signature_abc);
  const lower = vc.credentialFromCode('vector-election', v.credential_code.toLowerCase());
  assert.equal(vc.hex(lower.publicKey), v.credential_public);
  assert.throws(() => vc.credentialFromCode('vector-election', 'AAAA-BBBB'), /24 letters/);
  assert.throws(() => vc.credentialFromCode('vector-election', v.credential_code.replace(/.$/, '1')),
                /not a letter/);
});

test('a ballot made here verifies, audits, and fails once a byte changes', () => {
  const election = {
    fingerprint: fill(32, 0xab),
    jointKey: vc.base(vc.unhex(v.secret_key)),
    questions: [
      { id: 'council', choices: ['A', 'B', 'C', 'D'], min: 1, max: 2, blank: true },
      { id: 'referendum', choices: ['yes', 'no'], min: 1, max: 1, blank: false },
    ],
  };
  const credential = vc.credentialFromCode('demo', v.credential_code);
  const selections = [[0, 1, 0, 1], [1, 0]];
  const made = vc.encryptBallot(election, credential, selections);
  assert.ok(vc.verifyBallot(election, made.payload));
  assert.ok(vc.auditBallot(election, made.payload, selections, made.randomness));
  assert.equal(vc.auditBallot(election, made.payload, [[1, 0, 0, 1], [1, 0]], made.randomness), false);
  assert.equal(made.tracker, vc.hex(vc.h32('tracker', made.payload)));
  assert.match(made.shortTracker, /^[A-Z2-7]{16}$/);
  const blank = vc.encryptBallot(election, credential, [[0, 0, 0, 0], [0, 1]]);
  assert.ok(vc.verifyBallot(election, blank.payload));
  assert.throws(() => vc.encryptBallot(election, credential, [[1, 1, 1, 0], [1, 0]]), /between 1 and 2/);
  assert.throws(() => vc.encryptBallot(election, credential, [[0, 0, 0, 0], [0, 0]]), /between 1 and 1/);
  // Any change to the payload breaks the signature or a proof.
  const at = made.payload.indexOf('"c":"') + 10;
  const flipped = made.payload.slice(0, at) + (made.payload[at] === '0' ? '1' : '0') + made.payload.slice(at + 1);
  assert.equal(vc.verifyBallot(election, flipped), false);
  assert.equal(vc.verifyBallot({ ...election, fingerprint: fill(32, 0xac) }, made.payload), false);
});
