// The trustee's work in JavaScript (web/static/js/veche-ceremony.mjs) on an election of one
// approval question with 12 choices (12 ciphertexts per ballot), 3 trustees (2 of 3): time to
// deal, and time to decrypt a tally of BALLOTS ballots: parse the record and its hash chain,
// replay it (signatures, trustee proofs, ballot signatures and the replay rule), recompute the
// aggregate, derive the share and make the partial decryption with its 12 DLEQ proofs.
// Ballots carry valid signatures and credentials but random ciphertexts and no range proofs
// (making 10,000 real ballots takes minutes); the range-proof check a trustee may add is timed
// on real ballots and reported per ballot.
// Usage: node bench/ceremony/ceremony.mjs [BALLOTS] (default 10000).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { makeCeremony } from '../../web/static/js/veche-ceremony.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const sodium = require('libsodium-wrappers-sumo');
await sodium.ready;
const vc = makeCrypto(sodium);
const vk = makeCeremony(sodium, vc);
const ballots = Number(process.argv[2] || 10000);
const ms = (t0) => performance.now() - t0;

const board = [];
let head = '0'.repeat(64);
const append = (type, payload) => {
  const { line, hash } = vk.eventLine(board.length, head, type, vk.canonical(payload));
  board.push(line);
  head = hash;
};
const record = () => board.join('\n') + '\n';
const state = () => vk.replay(vk.parseRecord(record()));

const admin = vk.readKeyFile(vk.makeKeyFile('admin').text, 'admin');
const trustees = [0, 1, 2].map(() => vk.readKeyFile(vk.makeKeyFile('trustee').text, 'trustee'));
const registrar = vk.readKeyFile(vk.makeKeyFile('registrar').text, 'registrar');
const choices = Array.from({ length: 12 }, (_, c) => `choice ${c + 1}`);
append('setup', vk.signPayload('setup', {
  election_id: 'bench', title: 'Bench',
  questions: [{ id: 'q', kind: 'approval', choices, min: 0, max: 12, blank: true, seats: 0, method: 'none', threshold_permille: 0 }],
  trustees: trustees.map((t, i) => ({ name: `T${i + 1}`, key: vc.hex(t.publicKey) })),
  threshold: 2,
  registrars: [{ name: 'R', key: vc.hex(registrar.publicKey) }],
  administrator: vc.hex(admin.publicKey),
}, admin));
trustees.forEach((t, i) => append('trustee_key', vk.trusteeKey(state(), i + 1, t)));
const dealTimes = trustees.map((t, i) => {
  const st = state();
  const t0 = performance.now();
  append('trustee_deal', vk.trusteeDeal(st, i + 1, t));
  return ms(t0);
});
let t0 = performance.now();
const complaints = vk.checkDeals(state(), 1, trustees[0]);
const checkTime = ms(t0);
if (complaints.length) throw new Error('an honest deal was complained about');

t0 = performance.now();
const issued = vk.issueCredentials(state(), 1, registrar, ballots);
const credentialTime = ms(t0);
append('credentials', issued.payload);
const opening = vk.computeOpening(state());
append('open', vk.signPayload('open', {
  joint_key: vc.hex(opening.jointKey), qualified: opening.qualified, fingerprint: vc.hex(opening.fingerprint),
}, admin));

// Real ballots for the range-proof timing, then signed ballots with random ciphertexts.
const election = { fingerprint: opening.fingerprint, jointKey: opening.jointKey, questions: state().setup.questions };
const sample = 5;
t0 = performance.now();
const real = issued.codes.slice(0, sample).map((code, v) =>
  vc.encryptBallot(election, vc.credentialFromCode('bench', code), [choices.map((_, c) => (c + v) % 3 === 0 ? 1 : 0)]).payload);
const encryptTime = ms(t0) / sample;
t0 = performance.now();
for (const text of real) if (!vc.verifyBallot(election, text)) throw new Error('a real ballot does not verify');
const proofTime = ms(t0) / sample;
t0 = performance.now();
for (let v = 0; v < ballots; v++) {
  const credential = vc.credentialFromCode('bench', issued.codes[v]);
  const answers = [{
    choices: choices.map(() => ({ c: vc.hex(vc.concat(sodium.crypto_core_ristretto255_random(), sodium.crypto_core_ristretto255_random())), proof: '00' })),
    sum: '00',
  }];
  const unsigned = { election: vc.hex(opening.fingerprint), credential: vc.hex(credential.publicKey), answers, signer: vc.hex(credential.publicKey) };
  append('ballot', { ...unsigned, sig: vc.hex(vc.sign(credential, vc.h32('signed', 'ballot', JSON.stringify(unsigned)))) });
}
const makeTime = ms(t0);
append('close', vk.signPayload('close', { ballots }, admin));
const text = record();

t0 = performance.now();
const events = vk.parseRecord(text);
const parseTime = ms(t0);
t0 = performance.now();
const closed = vk.replay(events);
const replayTime = ms(t0);
t0 = performance.now();
const rows = vk.aggregate(closed);
const aggregateTime = ms(t0);
t0 = performance.now();
const partial = vk.partialDecryption(closed, 1, trustees[0], rows);
const decryptTime = ms(t0);
if (partial.factors[0].length !== 12) throw new Error('12 factors expected');

const f = (x) => `${(x / 1000).toFixed(2)} s`;
const m = (x) => `${x.toFixed(1)} ms`;
console.log(`ballots: ${ballots} x 12 ciphertexts; record ${(text.length / 1e6).toFixed(1)} MB; node ${process.version}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`deal (3 trustees, t = 2): ${dealTimes.map(m).join(', ')}; check the other deals: ${m(checkTime)}`);
console.log(`registrar: ${ballots} codes and the signed credentials event: ${f(credentialTime)}`);
console.log(`decrypt the tally: parse + hash chain ${f(parseTime)}, replay (signatures) ${f(replayTime)}, ` +
            `aggregate ${f(aggregateTime)}, share + 12 factors with proofs ${m(decryptTime)}; ` +
            `total ${f(parseTime + replayTime + aggregateTime + decryptTime)}`);
console.log(`optional range-proof check: ${m(proofTime)} per ballot (${f(proofTime * ballots)} for ${ballots}); ` +
            `encrypting one ballot: ${m(encryptTime)}; making the synthetic ballots: ${f(makeTime)}`);
