// An election on the site: built with the command line, imported into the served database,
// ballots encrypted by web/static/js/veche-crypto.mjs are cast over HTTP without any login, a
// voter finds one on the bulletin board in a browser without JavaScript, then the downloaded
// record is closed, decrypted (2 of 3), tallied and published offline and `veche-verify` checks
// it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const verifier = join(dirname(veche), 'veche-verify');
let vc;
let dir;
let server;
let browser;
let codes;

const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
const publicKey = (out) => out.match(/public key: ([0-9a-f]{64})/)[1];

function buildElection() {
  const admin = publicKey(run(['election', 'admin-key', '--out', 'admin.key']));
  const registrar = publicKey(run(['registrar', 'keygen', '--out', 'registrar.key']));
  const trustees = ['t1.key', 't2.key', 't3.key'].map((k) => publicKey(run(['trustee', 'keygen', '--out', k])));
  assert.equal(admin.length, 64);
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({
    election_id: 'web-e2e', title: 'Coalition council 2027',
    questions: [
      { id: 'council', kind: 'approval', choices: ['Anna', 'Boris', 'Vera'], min: 0, max: 2, blank: true },
      { id: 'referendum', kind: 'yes_no', choices: ['yes', 'no'], min: 1, max: 1, blank: false },
    ],
    trustees: trustees.map((key, i) => ({ name: `Faction ${'ABC'[i]}`, key })),
    threshold: 2,
    registrars: [{ name: 'Registrar', key: registrar }],
  }));
  run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);
  for (let round = 0; round < 3; round++) {
    for (const k of ['t1.key', 't2.key', 't3.key']) run(['trustee', 'share', '--board', 'board', '--key', k]);
  }
  run(['registrar', 'credentials', '--board', 'board', '--key', 'registrar.key', '--voters', '4',
       '--out', 'codes.txt']);
  codes = readFileSync(join(dir, 'codes.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']);
}

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  dir = mkdtempSync(join(tmpdir(), 'veche-elections-web-'));
  server = await startServer([], {
    prepare(db) {
      buildElection();
      assert.match(run(['election', 'import', '--board', 'board', '--db', db]), /\/elections\/1/);
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('ballots made in JavaScript are cast over HTTP, found on the board and verified', async () => {
  const api = `${server.url}/api/v1/elections/1`;
  const info = await (await fetch(api)).json();
  assert.equal(info.phase, 'open');
  assert.equal(info.ballots, 0);
  // What the booth reads: the questions, the joint key and the fingerprint, from the record.
  const events = (await (await fetch(`${server.url}/elections/1/record`)).text()).trim().split('\n').map(JSON.parse);
  const setup = events.find((e) => e.type === 'setup').payload;
  const opened = events.find((e) => e.type === 'open').payload;
  assert.equal(opened.fingerprint, info.fingerprint);
  const election = { fingerprint: vc.unhex(opened.fingerprint), jointKey: vc.unhex(opened.joint_key), questions: setup.questions };
  const cast = async (voter, selections) => {
    const ballot = vc.encryptBallot(election, vc.credentialFromCode(setup.election_id, codes[voter]), selections);
    const r = await fetch(`${api}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ballot.payload });
    assert.equal(r.status, 201, await r.clone().text());
    const receipt = await r.json();
    assert.equal(receipt.tracker, ballot.tracker);
    assert.equal(receipt.short_tracker, ballot.shortTracker);
    return ballot;
  };
  const first = await cast(0, [[1, 0, 1], [1, 0]]);
  await cast(1, [[0, 1, 0], [0, 1]]);
  await cast(2, [[1, 1, 0], [1, 0]]);
  await cast(1, [[1, 0, 0], [1, 0]]);  // a revote: this one counts
  // A changed byte: a precise 400, nothing appended.
  const good = vc.encryptBallot(election, vc.credentialFromCode(setup.election_id, codes[3]), [[0, 0, 1], [0, 1]]).payload;
  const at = good.indexOf('"sum":"') + 20;
  const bad = await fetch(`${api}/ballots`, { method: 'POST', body: good.slice(0, at) + (good[at] === 'a' ? 'b' : 'a') + good.slice(at + 1) });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /Bad ballot|Refused/);
  assert.equal((await (await fetch(api)).json()).ballots, 4);

  // A voter without JavaScript finds the first ballot by the start of its tracker.
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.url}/elections`);
  await page.click('text=Coalition council 2027');
  assert.equal(await page.textContent('#ballots'), '4');
  assert.equal(await page.textContent('#fingerprint'), info.fingerprint);
  await screenshot(page, 'election-en');
  await page.click('text=Bulletin board: find my ballot');
  await page.fill('#tracker', first.shortTracker.slice(0, 6));
  await page.click('button[type=submit]');
  assert.ok((await page.textContent('#board')).includes(first.shortTracker));
  await screenshot(page, 'election-board-en');
  await context.close();

  // The record, closed and counted offline, verifies.
  const record = await (await fetch(`${server.url}/elections/1/record`)).text();
  writeFileSync(join(dir, 'board', 'board.jsonl'), record);
  run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't1.key']);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't3.key']);
  run(['election', 'tally', '--board', 'board']);
  run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  run(['election', 'record', '--board', 'board', '--out', 'record.jsonl']);
  const verdict = spawnSync(verifier, ['record.jsonl'], { cwd: dir, encoding: 'utf8' });
  assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
  assert.match(verdict.stdout, /verdict: VALID/);
  assert.match(verdict.stdout, /council: 3 1 1/);  // Anna: 0, 2, 1's revote; Boris: 2; Vera: 0
  assert.match(verdict.stdout, /referendum: 3 0/);
});
