// The browser ceremony on the real site: an organizer (a delegate, JavaScript off) drafts a
// 2-of-3 election; each invitee makes a key in the browser on the invitation page; the organizer
// freezes the setup; three trustees click through key, deal and check on their pages; the
// registrar makes 20 codes and downloads the CSV; voting opens; the 20 voters vote in the booth
// (each opening it from their sheet's link with the code in the fragment), one audits a ballot
// first (checked offline with `veche vote --audit-file`) and three revote; after the close two
// trustees decrypt in the browser, the organizer publishes, the result page draws the counts,
// and `veche-verify` checks the downloaded record. Skipped when the server has no
// election pages, vendor files or libsodium loader yet (branches elections-run, elections-booth).
// Screenshots: build/e2e/ceremony-site-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { launchBrowser, screenshot, startServer, veche } from '../lib/harness.mjs';
import { person, utcIn } from '../lib/people.mjs';

const verifier = join(dirname(veche), 'veche-verify');
let server;
let browser;
let code;
let ready = false;

before(async () => {
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

test('the ceremony in the browser on the site, from the draft to veche-verify', { timeout: 540000 }, async (t) => {
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
  const closesAt = Math.ceil((Date.now() + 240_000) / 60_000) * 60_000;  // whole minutes
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
  await r.p.getByLabel('Number of voters').fill('20');
  await r.p.getByRole('button', { name: 'Make the codes and publish the credentials' }).click();
  await r.p.getByText(/20 credentials published/).waitFor();
  const csv = await downloadText(r.p, () => r.p.getByRole('button', { name: 'Download the CSV (mail merge)' }).click());
  const codes = csv.trim().split('\n').slice(1).map((row) => row.split(',')[1]);
  assert.equal(codes.length, 20);
  await screenshot(r.p, 'ceremony-site-registrar');
  assert.deepEqual(r.problems, []);
  await r.close();

  await organizer.reload();
  await organizer.locator('#do-open').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'open');

  // Voters in the booth, each from the link on their sheet (the code in the fragment).
  const record = async () => (await fetch(`${url}/elections/${id}/record`)).text();
  const names = ['Anna', 'Boris', 'Vera'];
  const choose = (v) => names.filter((_, c) => [v % 2 === 0, v % 3 === 0, v % 2 === 1 && v % 5 === 0][c]);
  const final = new Map();
  const booth = await browser.newContext({ acceptDownloads: true, locale: 'en-US', viewport: { width: 360, height: 740 } });
  const fill = async (page, chosen) => {
    for (const name of names) {
      const box = page.locator('fieldset[data-q="0"] label', { hasText: new RegExp(`^\\s*${name}\\s*$`) }).locator('input');
      if ((await box.isChecked()) !== chosen.includes(name)) await box.click();
    }
    await page.click('#ballot-form button[type=submit]');
    await page.waitForSelector('#step-review:not([hidden])');
  };
  const encryptIn = async (page, button) => {
    await page.click(button);
    await page.waitForFunction(() => document.getElementById('tracker').textContent.length === 16 &&
                                     !document.getElementById('cast').disabled);
    return page.textContent('#tracker');
  };
  const castIn = async (page) => {
    await page.click('#cast');
    await page.waitForSelector('#step-receipt:not([hidden])');
  };
  const dir = mkdtempSync(join(tmpdir(), 'veche-ceremony-site-'));
  for (let v = 0; v < 20; v++) {
    const page = await booth.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${url}/elections/${id}/vote#code=${codes[v]}`);
    await page.click('#code-form button[type=submit]');
    await page.waitForSelector('#step-ballot:not([hidden])');
    await fill(page, choose(v));
    let tracker = await encryptIn(page, '#encrypt');
    if (v === 0) {
      // Voter 0 audits this encryption: it is revealed, checked offline, and never cast.
      await page.click('#audit');
      await page.waitForSelector('#step-audit:not([hidden])');
      await downloadText(page, () => page.click('#audit-download')).then((text) => writeFileSync(join(dir, 'audit.json'), text));
      mkdirSync(join(dir, 'board'));
      writeFileSync(join(dir, 'board', 'board.jsonl'), await record());
      const checked = execFileSync(veche, ['vote', '--board', 'board', '--audit-file', 'audit.json'], { cwd: dir, encoding: 'utf8' });
      assert.match(checked, new RegExp(`ballot ${tracker} is valid and encrypts exactly these choices; it was not cast`));
      const again = await encryptIn(page, '#encrypt-again');
      assert.notEqual(again, tracker);
      tracker = again;
    }
    await castIn(page);
    assert.equal(await page.textContent('#receipt-tracker'), tracker);
    final.set(v, choose(v));
    if (v >= 1 && v <= 3) {
      // Three voters change their minds before the close: only their last ballot counts.
      await page.click('#vote-again');
      await page.waitForSelector('#step-ballot:not([hidden])');
      await fill(page, ['Vera']);
      await encryptIn(page, '#encrypt');
      await castIn(page);
      final.set(v, ['Vera']);
    }
    if (v === 3) await screenshot(page, 'ceremony-site-receipt');
    assert.deepEqual(problems, []);
    await page.close();
  }
  await booth.close();
  const expected = names.map((n) => [...final.values()].filter((c) => c.includes(n)).length);
  assert.equal((await (await fetch(`${url}/api/v1/elections/${id}`)).json()).ballots, 23);

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

  // The result, drawn; then anyone's check of the whole record.
  const result = await jsPage(`/elections/${id}/result`);
  assert.ok(await result.p.locator('svg.election-chart').count() >= 1);
  await screenshot(result.p, 'ceremony-site-result');
  await result.close();
  try {
    writeFileSync(join(dir, 'record.jsonl'), await record());
    const verdict = spawnSync(verifier, ['record.jsonl'], { cwd: dir, encoding: 'utf8' });
    assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
    assert.match(verdict.stdout, new RegExp(`council: ${expected.join(' ')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
