// Whole elections whose trustee and registrar steps are made by the browser's ceremony module
// (web/static/js/veche-ceremony.mjs) and appended to the board file as the server would (seq,
// prev and hash computed in JavaScript, protocol.md §10.1), while the administrator and the
// voters use the command line: 2 of 3 trustees, keys, deals, checks, credentials, ballots with
// a revote, close, two partial decryptions of the aggregate recomputed in JavaScript, tally,
// publish, then `veche-verify` on the record. A dealer that sends a bad share is complained
// about by a JavaScript trustee and disqualified by the verifier; a CLI trustee works beside JS
// ones and the key files go both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { makeCeremony } from '../../web/static/js/veche-ceremony.mjs';
import { veche } from '../lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const verifier = join(dirname(veche), 'veche-verify');
let vc;
let vk;
let top;

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  vk = makeCeremony(sodium, vc);
  top = mkdtempSync(join(tmpdir(), 'veche-js-ceremony-'));
});
after(() => rmSync(top, { recursive: true, force: true }));

// One election in its own folder: the CLI for the administrator and voters, JS for the rest.
function election(name) {
  const dir = join(top, name);
  mkdirSync(dir);
  const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
  const boardFile = join(dir, 'board', 'board.jsonl');
  const load = () => vk.replay(vk.parseRecord(readFileSync(boardFile, 'utf8')));
  // What the server's POST .../events does, in JavaScript: chain the event and append it.
  const append = (type, payload) => {
    const st = load();
    const { line, hash } = vk.eventLine(st.events, st.head, type, vk.canonical(payload));
    appendFileSync(boardFile, line + '\n');
    return hash;
  };
  return { dir, run, boardFile, load, append };
}

const spec = (trustees, registrars) => ({
  election_id: 'js-ceremony', title: 'Coalition council «2027»',
  questions: [
    { id: 'council', kind: 'approval', choices: ['Anna', 'Boris', 'Vera'], min: 0, max: 2, blank: true },
    { id: 'referendum', kind: 'yes_no', choices: ['yes', 'no'], min: 1, max: 1, blank: false },
  ],
  trustees: trustees.map((key, i) => ({ name: `Faction ${'ABC'[i]}`, key })),
  threshold: 2,
  registrars: registrars.map((key, i) => ({ name: `Registrar ${i + 1}`, key })),
});

// Trustee `key` takes its next key-generation step in JavaScript; returns what it did.
function trusteeStep(e, key) {
  const st = e.load();
  const i = vk.trusteeIndex(st, key);
  const next = vk.trusteeNext(st, i);
  if (next.step === 'key') e.append('trustee_key', vk.trusteeKey(st, i, key));
  if (next.step === 'deal') e.append('trustee_deal', vk.trusteeDeal(st, i, key));
  if (next.step === 'check') for (const c of vk.checkDeals(st, i, key)) e.append('trustee_complaint', c);
  return next.step;
}

function verify(e) {
  e.run(['election', 'record', '--board', 'board', '--out', 'record.jsonl']);
  return spawnSync(verifier, ['record.jsonl'], { cwd: e.dir, encoding: 'utf8' });
}

test('a 2-of-3 election with every trustee and registrar step made in JavaScript', async () => {
  const e = election('honest');
  const publicKey = (out) => out.match(/public key: ([0-9a-f]{64})/)[1];
  e.run(['election', 'admin-key', '--out', 'admin.key']);
  // Trustees 1 and 2 make their key files in JS; trustee 3 with the CLI (same format).
  const files = [vk.makeKeyFile('trustee'), vk.makeKeyFile('trustee')];
  const t3 = publicKey(e.run(['trustee', 'keygen', '--out', 't3.key']));
  const trustees = [...files.map((f) => vk.readKeyFile(f.text, 'trustee')),
                    vk.readKeyFile(readFileSync(join(e.dir, 't3.key'), 'utf8'), 'trustee')];
  assert.equal(vc.hex(trustees[2].publicKey), t3);
  const regFile = vk.makeKeyFile('registrar');
  const registrar = vk.readKeyFile(regFile.text, 'registrar');
  writeFileSync(join(e.dir, 'spec.json'), JSON.stringify(spec([files[0].publicKey, files[1].publicKey, t3], [regFile.publicKey])));
  e.run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);

  // The administrator's setup, signed by the CLI, re-signs here to the same bytes.
  const admin = vk.readKeyFile(readFileSync(join(e.dir, 'admin.key'), 'utf8'), 'admin');
  const [setupEvent] = vk.parseRecord(readFileSync(e.boardFile, 'utf8'));
  assert.equal(vk.canonical(vk.signPayload('setup', setupEvent.payload, admin)), setupEvent.payloadText);

  const steps = [];
  for (let round = 0; round < 4; round++) for (const t of trustees) steps.push(trusteeStep(e, t));
  assert.deepEqual(steps, ['key', 'key', 'key', 'deal', 'deal', 'deal', 'check', 'check', 'check',
                           'check', 'check', 'check']);
  const before = e.load();
  assert.equal(before.complaints.size, 0);
  assert.equal(before.deals.size, 3);

  // The registrar: 6 codes in JS, only the public credentials on the board.
  const st = e.load();
  const r = vk.registrarIndex(st, registrar);
  assert.equal(r, 1);
  const { codes, payload } = await vk.issueCredentials(st, r, registrar, 6);
  assert.equal(new Set(codes).size, 6);
  assert.deepEqual(payload.credentials, [...payload.credentials].sort());
  e.append('credentials', payload);
  assert.match(e.run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']), /election open/);
  const opened = e.load();
  assert.equal(opened.phase, 'open');
  assert.deepEqual(opened.qualified, [1, 2, 3]);
  assert.deepEqual(vk.trusteeNext(opened, 1), { step: 'wait-close' });

  const vote = (v, ...select) => {
    writeFileSync(join(e.dir, 'code'), codes[v] + '\n');
    e.run(['vote', '--board', 'board', '--code-file', 'code', ...select.flatMap((s) => ['--select', s])]);
  };
  vote(0, 'council=Anna,Vera', 'referendum=yes');
  vote(1, 'council=Boris', 'referendum=no');
  vote(2, 'council=Anna,Boris', 'referendum=yes');
  vote(3, 'referendum=yes');
  vote(4, 'council=Vera', 'referendum=no');
  vote(1, 'council=Anna', 'referendum=yes');  // a revote: this one counts
  assert.match(e.run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']), /6 ballots, 5 counted/);

  // Two partial decryptions in JS, trustee 3 with the key file the CLI made. The server checks
  // their proofs against its own aggregate, so it accepting them shows both aggregates agree.
  for (const t of [trustees[0], trustees[2]]) {
    const closed = e.load();
    const i = vk.trusteeIndex(closed, t);
    assert.equal(vk.trusteeNext(closed, i).step, 'decrypt');
    e.append('partial_decryption', vk.partialDecryption(closed, i, t));
  }
  const decrypted = e.load();
  assert.deepEqual(vk.trusteeNext(decrypted, 1), { step: 'done', partials: 2, of: 2 });
  assert.match(e.run(['election', 'tally', '--board', 'board']), /counted ballots: 5/);
  e.run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  const verdict = verify(e);
  assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
  assert.match(verdict.stdout, /verdict: VALID/);
  assert.match(verdict.stdout, /3 qualified trustees/);
  // Anna 3 (voters 0, 2 and 1's revote), Boris 1, Vera 2; yes 4, no 1.
  assert.match(verdict.stdout, /council: 3 1 2/);
  assert.match(verdict.stdout, /referendum: 4 1/);
  // The whole record replays here too, ballot proofs included, up to the result.
  const done = vk.replay(vk.parseRecord(readFileSync(join(e.dir, 'record.jsonl'), 'utf8')), { checkBallotProofs: true });
  assert.equal(done.phase, 'done');
  assert.equal(done.lastBallot.size, 5);
  assert.throws(() => vk.partialDecryption(done, 2, trustees[1]), /not closed/);
});

test('a dealer with a bad share is complained about in JavaScript and disqualified', async () => {
  const e = election('cheater');
  e.run(['election', 'admin-key', '--out', 'admin.key']);
  const files = [vk.makeKeyFile('trustee'), vk.makeKeyFile('trustee'), vk.makeKeyFile('trustee')];
  const trustees = files.map((f) => vk.readKeyFile(f.text, 'trustee'));
  // Trustee 3 runs the CLI with the key file made in the browser.
  writeFileSync(join(e.dir, 't3.key'), files[2].text, { mode: 0o600 });
  const regFile = vk.makeKeyFile('registrar');
  const registrar = vk.readKeyFile(regFile.text, 'registrar');
  writeFileSync(join(e.dir, 'spec.json'), JSON.stringify(spec(files.map((f) => f.publicKey), [regFile.publicKey])));
  e.run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);
  const cli3 = () => e.run(['trustee', 'share', '--board', 'board', '--key', 't3.key']);

  trusteeStep(e, trustees[0]);
  trusteeStep(e, trustees[1]);
  assert.match(cli3(), /key published/);
  trusteeStep(e, trustees[0]);
  // Trustee 2 deals, then swaps its share for trustee 1 for a wrong one and signs again.
  const st = e.load();
  const deal = vk.trusteeDeal(st, 2, trustees[1]);
  deal.shares[0] = vk.encryptShare(2, 1, st.encKeys.get(1), vk.randomScalar());
  e.append('trustee_deal', vk.signPayload('trustee_deal', deal, trustees[1]));
  assert.match(cli3(), /deal published/);
  // The CLI trustee opens the JS dealers' shares and finds them good.
  assert.match(cli3(), /0 complaint\(s\) published/);
  assert.equal(trusteeStep(e, trustees[0]), 'check');
  const judged = e.load();
  assert.equal(judged.complaints.size, 1);
  assert.ok(judged.complaints.has('1:2'));
  assert.deepEqual([...judged.disqualified], [2]);
  // Checking again publishes nothing new.
  assert.deepEqual(vk.checkDeals(judged, 1, trustees[0]), []);
  assert.equal(trusteeStep(e, trustees[1]), 'check');  // the cheater finds nothing to say

  const reg = e.load();
  const { codes, payload } = await vk.issueCredentials(reg, 1, registrar, 3);
  e.append('credentials', payload);
  e.run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']);
  const opened = e.load();
  assert.deepEqual(opened.qualified, [1, 3]);
  for (const [v, choice] of [[0, 'Anna'], [1, 'Vera'], [2, 'Vera']]) {
    writeFileSync(join(e.dir, 'code'), codes[v]);
    e.run(['vote', '--board', 'board', '--code-file', 'code', '--select', `council=${choice}`, '--select', 'referendum=no']);
  }
  assert.equal(vk.trusteeNext(opened, 2).step, 'disqualified');
  e.run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']);
  const closed = e.load();
  assert.throws(() => vk.partialDecryption(closed, 2, trustees[1]), /not a qualified trustee/);
  e.append('partial_decryption', vk.partialDecryption(closed, 1, trustees[0]));
  // Trustee 3 decrypts with the CLI and the browser-made key file.
  assert.match(e.run(['trustee', 'decrypt', '--board', 'board', '--key', 't3.key']), /2 of 2 needed/);
  e.run(['election', 'tally', '--board', 'board']);
  e.run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  const verdict = verify(e);
  assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
  assert.match(verdict.stdout, /2 qualified trustees/);
  assert.match(verdict.stdout, /council: 1 0 2/);
  assert.match(verdict.stdout, /referendum: 0 3/);

  // A record whose complaint was removed no longer replays: the hash chain breaks.
  const text = readFileSync(join(e.dir, 'record.jsonl'), 'utf8').split('\n');
  const without = text.filter((l) => !l.includes('"type":"trustee_complaint"')).join('\n');
  assert.throws(() => vk.parseRecord(without), /seq|prev/);
});

test('a false complaint disqualifies the complainer, in JavaScript as in the core', async () => {
  const e = election('false-complaint');
  e.run(['election', 'admin-key', '--out', 'admin.key']);
  const files = [vk.makeKeyFile('trustee'), vk.makeKeyFile('trustee'), vk.makeKeyFile('trustee')];
  const trustees = files.map((f) => vk.readKeyFile(f.text, 'trustee'));
  const regFile = vk.makeKeyFile('registrar');
  writeFileSync(join(e.dir, 'spec.json'), JSON.stringify(spec(files.map((f) => f.publicKey), [regFile.publicKey])));
  e.run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);
  for (let round = 0; round < 2; round++) for (const t of trustees) trusteeStep(e, t);
  // Trustee 3 complains about trustee 1's good share, with a valid proof of its K.
  const st = e.load();
  const share = st.deals.get(1).shares[2];
  const k = vc.mul(trustees[2].encSecret, share.r);
  const proof = vk.proveDleq('complaint', vc.trusteeContext(st.setupHash, 3), trustees[2].encSecret, st.encKeys.get(3), share.r, k);
  e.append('trustee_complaint', vk.signPayload('trustee_complaint', { trustee: 3, against: 1, k: vc.hex(k), proof: vc.hex(proof) }, trustees[2]));
  assert.deepEqual([...e.load().disqualified], [3]);
  // A complaint whose proof is for another K is judged false too.
  const st2 = e.load();
  const bad = vk.signPayload('trustee_complaint', { trustee: 2, against: 1, k: vc.hex(vc.base(vk.randomScalar())), proof: vc.hex(proof) }, trustees[1]);
  e.append('trustee_complaint', bad);
  assert.deepEqual([...e.load().disqualified].sort(), [2, 3]);
  assert.equal(st2.disqualified.size, 1);
  // The core agrees: with only trustee 1 qualified the threshold of 2 cannot be met.
  e.append('credentials', (await vk.issueCredentials(e.load(), 1, vk.readKeyFile(regFile.text, 'registrar'), 2)).payload);
  const refused = spawnSync(veche, ['election', 'open', '--board', 'board', '--admin-key', 'admin.key'], { cwd: e.dir, encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr + refused.stdout, /1 qualified trustees, 2 needed/);
  assert.throws(() => vk.computeOpening(e.load()), /1 qualified trustees, 2 needed/);
});
