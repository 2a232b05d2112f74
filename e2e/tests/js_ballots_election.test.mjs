// Ballots made by the browser's cryptography (web/static/js/veche-crypto.mjs) in a whole
// election run with the command line: three trustees (2 of 3), one registrar, five voters whose
// ballots are encrypted in JavaScript and cast with `veche vote --ballot-file` (checked exactly as
// any ballot), one revote, close, two partial decryptions, tally, publish, then `veche-verify` on
// the exported record gives the expected counts. A ballot with a changed byte is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { veche } from '../lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const verifier = join(dirname(veche), 'veche-verify');
let vc;
let dir;

const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
const publicKey = (out) => out.match(/public key: ([0-9a-f]{64})/)[1];

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  dir = mkdtempSync(join(tmpdir(), 'veche-js-ballots-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('ballots encrypted in JavaScript are cast, tallied and verified by the C++ tools', () => {
  const admin = publicKey(run(['election', 'admin-key', '--out', 'admin.key']));
  const registrar = publicKey(run(['registrar', 'keygen', '--out', 'registrar.key']));
  const trustees = ['t1.key', 't2.key', 't3.key'].map((k) => publicKey(run(['trustee', 'keygen', '--out', k])));
  assert.equal(admin.length, 64);
  const spec = {
    election_id: 'js-ballots', title: 'Coalition council',
    questions: [
      { id: 'council', kind: 'approval', choices: ['Anna', 'Boris', 'Vera'], min: 0, max: 2, blank: true },
      { id: 'referendum', kind: 'yes_no', choices: ['yes', 'no'], min: 1, max: 1, blank: false },
    ],
    trustees: trustees.map((key, i) => ({ name: `Faction ${'ABC'[i]}`, key })),
    threshold: 2,
    registrars: [{ name: 'Registrar', key: registrar }],
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);
  for (let round = 0; round < 3; round++) {
    for (const k of ['t1.key', 't2.key', 't3.key']) run(['trustee', 'share', '--board', 'board', '--key', k]);
  }
  run(['registrar', 'credentials', '--board', 'board', '--key', 'registrar.key', '--voters', '5',
       '--out', 'codes.txt']);
  const codes = readFileSync(join(dir, 'codes.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(codes.length, 5);
  run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']);

  // What the booth reads from the board: the questions, the joint key and the fingerprint.
  const events = readFileSync(join(dir, 'board', 'board.jsonl'), 'utf8').trim().split('\n').map(JSON.parse);
  const setup = events.find((e) => e.type === 'setup').payload;
  const opened = events.find((e) => e.type === 'open').payload;
  const election = {
    fingerprint: vc.unhex(opened.fingerprint),
    jointKey: vc.unhex(opened.joint_key),
    questions: setup.questions,
  };
  const cast = (voter, selections) => {
    const credential = vc.credentialFromCode(setup.election_id, codes[voter]);
    const ballot = vc.encryptBallot(election, credential, selections);
    assert.ok(vc.verifyBallot(election, ballot.payload));
    writeFileSync(join(dir, 'ballot.json'), ballot.payload + '\n');
    const out = run(['vote', '--board', 'board', '--ballot-file', 'ballot.json']);
    assert.match(out, new RegExp(`full tracker: ${ballot.tracker}`));
    assert.match(out, new RegExp(`tracker: ${ballot.shortTracker}`));
    return ballot;
  };
  cast(0, [[1, 0, 1], [1, 0]]);
  cast(1, [[0, 1, 0], [0, 1]]);
  cast(2, [[1, 1, 0], [1, 0]]);
  cast(3, [[0, 0, 0], [1, 0]]);
  cast(4, [[0, 0, 1], [0, 1]]);
  cast(1, [[1, 0, 0], [1, 0]]);  // a revote: this one counts

  // A changed byte: refused with a reason, nothing appended.
  const credential = vc.credentialFromCode(setup.election_id, codes[2]);
  const good = vc.encryptBallot(election, credential, [[0, 1, 0], [0, 1]]).payload;
  const at = good.indexOf('"sum":"') + 20;
  writeFileSync(join(dir, 'bad.json'), good.slice(0, at) + (good[at] === 'a' ? 'b' : 'a') + good.slice(at + 1));
  const refused = spawnSync(veche, ['vote', '--board', 'board', '--ballot-file', 'bad.json'], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr + refused.stdout, /refused|proof|signature|canonical/);
  writeFileSync(join(dir, 'spaced.json'), good.replace('{"election"', '{ "election"'));
  const spaced = spawnSync(veche, ['vote', '--board', 'board', '--ballot-file', 'spaced.json'], { cwd: dir, encoding: 'utf8' });
  assert.match(spaced.stderr + spaced.stdout, /canonical/);

  assert.match(run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']), /6 ballots, 5 counted/);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't1.key']);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't3.key']);
  run(['election', 'tally', '--board', 'board']);
  run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  run(['election', 'record', '--board', 'board', '--out', 'record.jsonl']);
  const verdict = spawnSync(verifier, ['record.jsonl'], { cwd: dir, encoding: 'utf8' });
  assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
  assert.match(verdict.stdout, /verdict: VALID/);
  // Anna 3 (voters 0, 2 and 1's revote), Boris 1, Vera 2; yes 4, no 1.
  assert.match(verdict.stdout, /council: 3 1 2/);
  assert.match(verdict.stdout, /referendum: 4 1/);
});
