// The agenda in a browser with JavaScript switched off: a constituent raises an issue, supports
// it and sees the count go up; a visitor sees the count and never who supports it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

let server;
let url;
let browser;
let code;

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      code = execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', 'free-press-union',
                                  '--count', '1', '--days', '2'], { encoding: 'utf8' }).trim();
    },
  });
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a constituent raises an issue, supports it and sees the count', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });

  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill('ladoga_voter');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByLabel('Handle').fill('ladoga_voter');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');

  await page.goto(url + '/agenda');
  await page.locator('#raise-link').click();
  assert.equal(new URL(page.url()).pathname, '/agenda/new');
  // Bad input: no tag chosen; the form comes back with the message and the typed text.
  await page.getByLabel('Title').fill('Residence permits for exiled journalists');
  await page.getByRole('button', { name: 'Raise the issue' }).click();
  assert.match(await page.locator('#error').textContent(), /at least one tag/);
  assert.equal(await page.getByLabel('Title').inputValue(), 'Residence permits for exiled journalists');
  errors.length = 0;  // the browser logs the deliberate 400 above

  await page.getByLabel('Description (Markdown)').fill('Journalists need **residence** permits.');
  await page.getByLabel(/Countries affected/).fill('de, lv');
  await page.getByLabel('Visas and residence').check();
  await page.getByRole('button', { name: 'Raise the issue' }).click();
  assert.match(new URL(page.url()).pathname, /^\/agenda\/\d+$/);
  const issuePath = new URL(page.url()).pathname;
  assert.equal(await page.locator('#notice').textContent(), 'Your issue is raised.');
  assert.equal(await page.locator('#supports').textContent(), '0');
  assert.equal(await page.locator('.prose strong').textContent(), 'residence');

  await page.locator('#support').click();
  assert.equal(await page.locator('#notice').textContent(), 'Your support is counted.');
  assert.equal(await page.locator('#supports').textContent(), '1');
  await screenshot(page, 'agenda-supported-en');

  const visitor = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const anon = await visitor.newPage();
  await anon.goto(url + issuePath);
  assert.equal(await anon.locator('#supports').textContent(), '1');
  assert.ok(!(await anon.content()).includes('ladoga_voter'));
  await anon.goto(url + '/agenda?tag=visas-and-residence');
  assert.ok((await anon.content()).includes('Residence permits for exiled journalists'));
  await visitor.close();

  await page.locator('#withdraw').click();
  assert.equal(await page.locator('#supports').textContent(), '0');
  assert.deepEqual(errors, []);
  await context.close();
});
