// The voting booth and the result (issue 9): an election built with the command line and
// imported; a voter opens the booth on a 360 px phone from a sheet's `#code=` link, fills the
// ballot, audits one encryption (the audit file is checked by `veche vote --audit-file`, and
// fails once tampered), casts afresh, gets a receipt, revotes and finds the ballot on the board;
// a code not on the list is refused with the server's reason; without JavaScript the booth
// shows commands that work as printed. After the close, decryption and publication offline and
// a re-import, the result page shows the counts and seats with SVG charts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

let dir;
let server;
let browser;
let codes;

const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
const attempt = (args) => spawnSync(veche, args, { cwd: dir, encoding: 'utf8' });
const publicKey = (out) => out.match(/public key: ([0-9a-f]{64})/)[1];

function buildElection() {
  run(['election', 'admin-key', '--out', 'admin.key']);
  const registrar = publicKey(run(['registrar', 'keygen', '--out', 'registrar.key']));
  const trustees = ['t1.key', 't2.key', 't3.key'].map((k) => publicKey(run(['trustee', 'keygen', '--out', k])));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({
    election_id: 'booth-e2e', title: 'Coalition council 2027',
    questions: [
      { id: 'council', kind: 'approval', choices: ['Anna', 'Boris', 'Vera'], min: 0, max: 2, blank: true },
      { id: 'referendum', kind: 'yes_no', choices: ['yes', 'no'], min: 1, max: 1, blank: true },
      { id: 'assembly', kind: 'party_list', choices: ['North', 'South', 'East'], min: 1, max: 1,
        blank: true, seats: 5, method: 'dhondt', threshold_permille: 0 },
      { id: 'diaspora', kind: 'party_list', choices: ['North', 'South', 'East'], min: 1, max: 1,
        blank: true, seats: 3, method: 'sainte_lague', threshold_permille: 0 },
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

// A fresh copy of the site's record in `folder` (what a voter or auditor downloads).
async function downloadRecord(folder) {
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, 'board.jsonl'), await (await fetch(`${server.url}/elections/1/record`)).text());
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'veche-election-booth-'));
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

const choice = (page, q, name) =>
  page.locator(`fieldset[data-q="${q}"] label`, { hasText: new RegExp(`^\\s*${name}\\s*$`) }).locator('input');

async function fillBallot(page, { council, referendum, assembly, diaspora }) {
  for (const name of ['Anna', 'Boris', 'Vera']) {
    const box = choice(page, 0, name);
    if ((await box.isChecked()) !== council.includes(name)) await box.click();
  }
  await choice(page, 1, referendum).check();
  await choice(page, 2, assembly).check();
  await choice(page, 3, diaspora).check();
}

async function encrypt(page, button = '#encrypt') {
  await page.click(button);
  await page.waitForFunction(() => document.getElementById('tracker').textContent.length === 16 &&
                                   !document.getElementById('cast').disabled);
  return page.textContent('#tracker');
}

test('a voter votes in the booth, audits once, casts, revotes; the result is drawn', async () => {
  const api = `${server.url}/api/v1/elections/1`;
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US' });
  const page = await phone.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // The sheet's QR code opens the booth with the code in the fragment, which is then cleared.
  await page.goto(`${server.url}/elections/1/vote#code=${codes[0]}`);
  await page.waitForSelector('#step-code:not([hidden])');
  assert.equal(await page.inputValue('#code'), codes[0]);
  assert.equal(await page.evaluate(() => location.hash), '');
  assert.equal(await page.isVisible('#booth-nojs'), false);
  await page.click('#code-form button[type=submit]');

  // The ballot: at most two in the approval question, then the rest is disabled.
  await page.waitForSelector('#step-ballot:not([hidden])');
  await page.click('#ballot-form button[type=submit]');  // nothing chosen for the radio questions
  assert.ok(await page.isVisible('fieldset[data-q="1"] [data-error]'));
  await fillBallot(page, { council: ['Anna', 'Vera'], referendum: 'yes', assembly: 'North', diaspora: 'East' });
  assert.ok(await choice(page, 0, 'Boris').isDisabled());
  assert.equal(await page.textContent('fieldset[data-q="0"] [data-count]'), 'Chosen: 2 / 2');
  await screenshot(page, 'booth-ballot-360');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#step-review:not([hidden])');
  assert.match(await page.textContent('#review-list'), /councilAnna, VerareferendumyesassemblyNorthdiasporaEast/);

  // Encrypt, then audit that ballot instead of casting it.
  const audited = await encrypt(page);
  await page.click('#audit');
  await page.waitForSelector('#step-audit:not([hidden])');
  assert.equal(await page.textContent('#audit-tracker'), audited);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-download')]);
  await download.saveAs(join(dir, 'ballot-audit.json'));
  await screenshot(page, 'booth-audit-360');

  // The audit file checks out independently of the browser, and fails once tampered.
  await downloadRecord('check');
  const checked = run(['vote', '--board', 'check', '--audit-file', 'ballot-audit.json']);
  assert.match(checked, new RegExp(`ballot ${audited} is valid and encrypts exactly these choices; it was not cast`));
  assert.match(checked, /council: Anna, Vera\n {2}referendum: yes\n {2}assembly: North\n {2}diaspora: East/);
  const file = JSON.parse(readFileSync(join(dir, 'ballot-audit.json'), 'utf8'));
  const tampered = structuredClone(file);
  tampered.randomness[0][0] = file.randomness[0][1];
  writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
  const bad = attempt(['vote', '--board', 'check', '--audit-file', 'tampered.json']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /AUDIT FAILED/);
  const lying = structuredClone(file);
  lying.selections[0] = [0, 1, 1];  // Boris and Vera instead of Anna and Vera
  writeFileSync(join(dir, 'lying.json'), JSON.stringify(lying));
  const wrong = attempt(['vote', '--board', 'check', '--audit-file', 'lying.json']);
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /AUDIT FAILED/);

  // Encrypted afresh (another tracker), cast, and the receipt.
  const cast = await encrypt(page, '#encrypt-again');
  assert.notEqual(cast, audited);
  await page.click('#cast');
  await page.waitForSelector('#step-receipt:not([hidden])');
  assert.equal(await page.textContent('#receipt-tracker'), cast);
  assert.match(await page.textContent('#receipt-full'), /^[0-9a-f]{64}$/);
  assert.match(await page.textContent('#receipt-seq'), /^\d+$/);
  await page.waitForFunction(() => document.getElementById('ballots').textContent === '1');
  await screenshot(page, 'booth-receipt-360');
  assert.equal((await (await fetch(api)).json()).ballots, 1);

  // A revote: only the last ballot counts.
  await page.click('#vote-again');
  await fillBallot(page, { council: ['Boris'], referendum: 'no', assembly: 'South', diaspora: 'South' });
  await page.click('#ballot-form button[type=submit]');
  const revote = await encrypt(page);
  await page.click('#cast');
  await page.waitForSelector('#step-receipt:not([hidden])');
  assert.equal(await page.textContent('#receipt-tracker'), revote);
  assert.equal((await (await fetch(api)).json()).ballots, 2);

  // The receipt's link finds the ballot on the board.
  await page.click('#receipt-board');
  assert.ok((await page.textContent('#board')).includes(revote));
  await screenshot(page, 'booth-board-360');

  // The audited ballot was never cast: the check still passes on a fresh record.
  await downloadRecord('check2');
  assert.match(run(['vote', '--board', 'check2', '--audit-file', 'ballot-audit.json']), /it was not cast/);

  // A code that is not on the list: the server's reason is shown.
  const stranger = await phone.newPage();
  await stranger.goto(`${server.url}/elections/1/vote#code=AAAA-BBBB-CCCC-DDDD-EEEE-FFFF`);
  await stranger.click('#code-form button[type=submit]');
  await fillBallot(stranger, { council: [], referendum: 'yes', assembly: 'East', diaspora: 'East' });
  await stranger.click('#ballot-form button[type=submit]');
  await encrypt(stranger);
  await stranger.click('#cast');
  await stranger.waitForSelector('#cast-error:not([hidden])');
  assert.match(await stranger.textContent('#cast-error'), /refused the ballot \(4\d\d\): .+/);
  await screenshot(stranger, 'booth-refused-360');
  assert.equal((await (await fetch(api)).json()).ballots, 2);
  assert.deepEqual(pageErrors, []);
  await phone.close();

  // Without JavaScript: the booth explains the command line, and its commands work as printed.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const text = await plain.newPage();
  await text.goto(`${server.url}/elections/1`);
  await text.click('#vote-link');
  assert.equal(await text.isVisible('#booth'), false);
  assert.ok(await text.isVisible('#booth-nojs'));
  await screenshot(text, 'booth-nojs-en');
  const commands = await text.locator('#booth-cli pre').allTextContents();
  assert.match(commands[0], /curl -o election-1\/board.jsonl http:\/\/127\.0\.0\.1:\d+\/elections\/1\/record/);
  const vote = commands[1].trim().split(/\s+/);
  assert.equal(vote[0], 'veche');
  await downloadRecord('election-1');
  writeFileSync(join(dir, 'code.txt'), `${codes[1]}\n`);
  assert.match(run(vote.slice(1)), /ballot written to ballot.json/);
  const sent = await fetch(`${api}/ballots`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(join(dir, 'ballot.json')),
  });
  assert.equal(sent.status, 201, await sent.clone().text());
  assert.equal((await (await fetch(api)).json()).ballots, 3);
  await text.goto(`${server.url}/elections/1/result`);
  assert.ok(await text.isVisible('#no-result'));
  assert.equal((await fetch(`${api}/result`)).status, 404);

  // Closed, decrypted, tallied and published offline, then imported again: the result.
  await downloadRecord('board');
  run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't1.key']);
  run(['trustee', 'decrypt', '--board', 'board', '--key', 't3.key']);
  run(['election', 'tally', '--board', 'board']);
  run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  run(['election', 'import', '--board', 'board', '--db', server.db]);
  const result = await (await fetch(`${api}/result`)).json();
  assert.equal(result.counted, 2);
  // Voter 0's revote (Boris, no, South, South) and voter 1's command-line ballot (the first
  // `min` choices, at least one: Anna, yes, North, North).
  assert.deepEqual(result.questions[0].choices.map((c) => c.votes), [1, 1, 0]);
  assert.deepEqual(result.questions[1].choices.map((c) => c.votes), [1, 1]);
  assert.deepEqual(result.questions[2].choices.map((c) => c.votes), [1, 1, 0]);
  assert.equal(result.questions[2].choices.reduce((n, c) => n + c.seats, 0), 5);
  assert.equal(result.questions[3].choices.reduce((n, c) => n + c.seats, 0), 3);

  await text.goto(`${server.url}/elections/1`);
  await text.click('#result-link');
  assert.equal(await text.textContent('#counted'), '2');
  assert.equal(await text.locator('svg.election-chart.votes').count(), 4);
  assert.equal(await text.locator('svg.election-chart.seats').count(), 2);
  assert.equal(await text.locator('svg.election-chart.curiae').count(), 1);
  await screenshot(text, 'election-result-en');
  await plain.close();
  const narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'ru-RU' });
  const ru = await narrow.newPage();
  await ru.goto(`${server.url}/elections/1/result`);
  assert.equal(await ru.locator('svg.election-chart').count(), 7);
  await screenshot(ru, 'election-result-ru-360');
  await ru.goto(`${server.url}/elections/1/vote`);
  assert.ok(await ru.isVisible('#booth-closed'));
  await narrow.close();
});
