// The browser ceremony on the real site: an organizer (a delegate, JavaScript off) drafts a
// 2-of-3 election; each invitee makes a key in the browser on the invitation page; the organizer
// freezes the setup; three trustees click through key, deal and check on their pages; the
// registrar makes 4 codes and downloads the CSV; voting opens; ballots made with the voters'
// codes are cast on the site; after the close two trustees decrypt in the browser, the organizer
// publishes, and `veche-verify` checks the downloaded record. Skipped when the server has no
// election pages, vendor files or libsodium loader yet (branches elections-run, elections-booth).
// Screenshots: build/e2e/ceremony-site-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { makeCeremony } from '../../web/static/js/veche-ceremony.mjs';
import { launchBrowser, screenshot, startServer, veche } from '../lib/harness.mjs';
import { person, utcIn } from '../lib/people.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const verifier = join(dirname(veche), 'veche-verify');
let server;
let browser;
let vc;
let vk;
let code;
let ready = false;

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  vk = makeCeremony(sodium, vc);
  server = await startServer(['--deadline-interval', '1'], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      code = execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', 'northern-forum',
                                  '--count', '1', '--days', '2'], { encoding: 'utf8' }).trim();
    },
  });
  const probe = await Promise.all([
    fetch(`${server.url}/static/vendor/qrcode-generator/dist/qrcode.mjs`),
    fetch(`${server.url}/elections/new`, { redirect: 'manual' }),
    fetch(`${server.url}/static/js/sodium.mjs`),
  ]);
  ready = probe[0].status === 200 && probe[1].status !== 404 && probe[2].status === 200;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function jsPage(path) {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
  const p = await context.newPage();
  const problems = [];
  p.on('pageerror', (e) => problems.push(e.message));
  p.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
  await p.goto(server.url + path);
  return { p, problems, close: () => context.close() };
}

async function downloadText(p, click) {
  const [dl] = await Promise.all([p.waitForEvent('download'), click()]);
  return readFileSync(await dl.path(), 'utf8');
}

test('the ceremony in the browser on the site, from the draft to veche-verify', { timeout: 300000 }, async (t) => {
  if (!ready) {
    t.skip('the site has no election organizer pages, vendor files or libsodium loader yet');
    return;
  }
  const url = server.url;
  const organizer = await person(browser, server, { code, handle: 'organizer', role: 'delegate', org: 'northern-forum' });
  await organizer.goto(url + '/elections/new');
  await organizer.locator('#title').fill('Coalition council');
  await organizer.locator('#q1_id').fill('council');
  await organizer.locator('#q1_kind').selectOption('approval');
  await organizer.locator('#q1_choices').fill('Anna\nBoris\nVera');
  await organizer.locator('#q1_min').fill('0');
  await organizer.locator('#q1_max').fill('2');
  await organizer.locator('input[name="q1_blank"]').check();
  const closesAt = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;  // whole minutes
  await organizer.locator('#opens_at').fill(utcIn(-120).slice(0, 16));
  await organizer.locator('#closes_at').fill(new Date(closesAt).toISOString().slice(0, 16));
  await organizer.locator('#outage_minutes').fill('0');
  await organizer.locator('#max_hours').fill('0');
  await organizer.locator('#trustees').fill('Faction A\nFaction B\nFaction C');
  await organizer.locator('#threshold').fill('2');
  await organizer.locator('#registrars').fill('Registrar');
  await organizer.locator('#create').click();
  const manage = organizer.url();
  assert.match(manage, /\/elections\/\d+\/manage/, await organizer.content());
  const id = manage.match(/elections\/(\d+)/)[1];
  const links = await organizer.locator('a.invite').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(links.length, 4);

  // Every invitee makes a key in the browser.
  const keys = [];
  for (const [k, link] of links.entries()) {
    const j = await jsPage(link);
    const text = await downloadText(j.p, () => j.p.getByRole('button', { name: 'Create my key in this browser' }).click());
    if (k === 0) await screenshot(j.p, 'ceremony-site-join');
    await j.p.getByRole('button', { name: 'I have saved it: register this key' }).click();
    await j.p.locator('#registered').waitFor();
    assert.deepEqual(j.problems, []);
    await j.close();
    keys.push(text);
  }
  await organizer.reload();
  await organizer.locator('#do-setup').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'setup');

  const trusteeStep = async (slot, button, after, shot) => {
    const p = await jsPage(`/elections/${id}/trustees/${slot}`);
    await p.p.getByLabel('Your trustee key file').setInputFiles({ name: 'trustee.key', mimeType: 'application/json', buffer: Buffer.from(keys[slot - 1]) });
    await p.p.getByRole('button', { name: button }).click();
    await p.p.getByText(after).first().waitFor();
    if (shot) await screenshot(p.p, shot);
    assert.deepEqual(p.problems, []);
    await p.close();
  };
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Publish my key', /Published trustee_key/);
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Deal my shares', /Published trustee_deal/);
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Check the deals', /0 complaint\(s\) published/, slot === 3 && 'ceremony-site-trustee');

  const r = await jsPage(`/elections/${id}/registrars/1`);
  await r.p.getByLabel('Your registrar key file').setInputFiles({ name: 'registrar.key', mimeType: 'application/json', buffer: Buffer.from(keys[3]) });
  await r.p.getByLabel('Number of voters').fill('4');
  await r.p.getByRole('button', { name: 'Make the codes and publish the credentials' }).click();
  await r.p.getByText(/4 credentials published/).waitFor();
  const csv = await downloadText(r.p, () => r.p.getByRole('button', { name: 'Download the CSV (mail merge)' }).click());
  const codes = csv.trim().split('\n').slice(1).map((row) => row.split(',')[1]);
  assert.equal(codes.length, 4);
  await screenshot(r.p, 'ceremony-site-registrar');
  assert.deepEqual(r.problems, []);
  await r.close();

  await organizer.reload();
  await organizer.locator('#do-open').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'open');

  // Voters: ballots made with the codes from the CSV, cast on the site.
  const record = async () => (await fetch(`${url}/elections/${id}/record`)).text();
  const st = vk.replay(vk.parseRecord(await record()));
  const election = { fingerprint: st.fingerprint, jointKey: st.jointKey, questions: st.setup.questions };
  for (const [v, sel] of [[0, [1, 0, 1]], [1, [0, 1, 0]], [2, [1, 0, 0]], [3, [0, 0, 1]], [1, [1, 0, 0]]]) {
    const ballot = vc.encryptBallot(election, vc.credentialFromCode(st.setup.election_id, codes[v]), [sel]);
    const res = await fetch(`${url}/api/v1/elections/${id}/ballots`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ballot.payload });
    assert.equal(res.status, 201, await res.text());
  }

  // The close: by the organizer once the announced time has passed (or by the deadline keeper).
  while (Date.now() < closesAt + 2000) await sleep(1000);
  await organizer.reload();
  if ((await organizer.locator('#phase').textContent()) === 'open') await organizer.locator('#do-close').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'closed');

  await trusteeStep(2, 'Decrypt the tally', /Published partial_decryption/);
  await trusteeStep(3, 'Decrypt the tally', /Published partial_decryption/, 'ceremony-site-decrypted');
  await organizer.reload();
  await organizer.locator('#do-publish').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'done');

  const dir = mkdtempSync(join(tmpdir(), 'veche-ceremony-site-'));
  try {
    writeFileSync(join(dir, 'record.jsonl'), await record());
    const verdict = spawnSync(verifier, ['record.jsonl'], { cwd: dir, encoding: 'utf8' });
    assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
    assert.match(verdict.stdout, /council: 3 0 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
