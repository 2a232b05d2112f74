// The demo elections a person finds after `make run`: a link that `veche serve --demo` prints
// opens the booth with a fictional code and casts a ballot there; the counted demo election's
// result page draws its charts, and its record verifies with `veche-verify --json`, whose counts
// are the result API's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

let server;
let browser;
let dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'veche-demo-elections-'));
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const getJson = async (path) => (await fetch(`${server.url}${path}`)).json();

test('a printed booth link votes in the open demo election', { timeout: 120000 }, async () => {
  const links = [...server.output().matchAll(/try the booth: (\S+)/g)].map((m) => m[1]);
  assert.equal(links.length, 3, server.output());
  const [, id] = links[0].match(/\/elections\/(\d+)\/vote#code=[A-Z2-7-]{29}$/);
  assert.ok(links[0].startsWith(`${server.url}/elections/${id}/vote`));
  const before = await getJson(`/api/v1/elections/${id}`);
  assert.equal(before.phase, 'open');

  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(links[0]);
  await page.waitForSelector('#step-code:not([hidden])');
  await page.click('#code-form button[type=submit]');
  await page.waitForSelector('#step-ballot:not([hidden])');
  for (const name of ['Legal aid for asylum cases', 'Grants for independent media']) {
    await page.getByLabel(name).check();
  }
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#step-review:not([hidden])');
  await page.click('#encrypt');
  await page.waitForFunction(() => !document.getElementById('cast').disabled);
  await page.click('#cast');
  await page.waitForSelector('#step-receipt:not([hidden])');
  const tracker = await page.textContent('#receipt-full');
  assert.match(tracker, /^[0-9a-f]{64}$/);
  await screenshot(page, 'demo-booth-receipt');
  assert.deepEqual(pageErrors, []);
  await context.close();

  const after = await getJson(`/api/v1/elections/${id}`);
  assert.equal(after.ballots, before.ballots + 1);
  const found = await getJson(`/api/v1/elections/${id}/ballots?tracker=${tracker.slice(0, 12)}`);
  assert.equal(found.ballots.length, 1, JSON.stringify(found));
});

test('the counted demo election draws its result and its record verifies', async () => {
  const { elections } = await getJson('/api/v1/elections');
  const done = elections.find((e) => e.phase === 'done');
  assert.ok(done, JSON.stringify(elections));
  const page = await browser.newPage({ locale: 'en-US' });
  await page.goto(`${server.url}/elections/${done.id}/result`);
  assert.ok(await page.locator('svg').count() >= 3, 'a chart per question');
  await screenshot(page, 'demo-result');
  await page.close();

  const result = await getJson(`/api/v1/elections/${done.id}/result`);
  const record = await (await fetch(`${server.url}/elections/${done.id}/record`)).text();
  writeFileSync(join(dir, 'record.jsonl'), record);
  const verifier = join(dirname(veche), 'veche-verify');
  const run = spawnSync(verifier, ['--json', '--quiet', join(dir, 'record.jsonl')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.verdict, 'valid');
  assert.equal(report.fingerprint, done.fingerprint);
  // The head the site states (API and verify page) is the head of the record it served.
  const detail = await getJson(`/api/v1/elections/${done.id}`);
  assert.equal(report.head, detail.head);
  assert.equal(report.events, detail.events);
  const verifyPage = await browser.newPage({ locale: 'en-US' });
  await verifyPage.goto(`${server.url}/elections/${done.id}/verify`);
  assert.equal(await verifyPage.locator('#head').textContent(), report.head);
  await screenshot(verifyPage, 'demo-verify');
  await verifyPage.close();
  assert.equal(report.result.counted, result.counted);
  assert.deepEqual(report.result.questions.map((q) => q.counts),
                   result.questions.map((q) => q.choices.map((c) => c.votes)));
});
