// Signing the charter as an individual in a browser with JavaScript switched off: the count of
// individual signatures goes up, the signer's name appears nowhere, and the signature can be
// withdrawn. The code comes from `veche invitations issue` on the server's database.
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

test('a constituent signs the charter, sees the count go up, and withdraws', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });

  await page.goto(url + '/charter');
  const before = Number(await page.locator('#individuals-1').textContent());
  assert.ok(before > 0, 'the demo has individual signatures');
  assert.ok(await page.locator('#signers-1 li').count() >= 3, 'organizations signed');
  await page.getByRole('link', { name: 'Log in to sign the charter.' }).isVisible();

  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill('onega_signer');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByLabel('Handle').fill('onega_signer');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');

  await page.goto(url + '/charter');
  await page.locator('#sign-1').click();
  assert.equal(new URL(page.url()).pathname, '/charter');
  assert.equal(await page.locator('#notice').textContent(), 'Your signature is recorded.');
  assert.equal(Number(await page.locator('#individuals-1').textContent()), before + 1);
  await screenshot(page, 'charter-signed-en');

  // Visitors see the new count, never the name.
  const visitor = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const anon = await visitor.newPage();
  await anon.goto(url + '/charter');
  assert.equal(Number(await anon.locator('#individuals-1').textContent()), before + 1);
  assert.ok(!(await anon.content()).includes('onega_signer'));
  await anon.goto(url + '/audit');
  assert.ok(!(await anon.content()).includes('onega_signer'));
  await visitor.close();

  await page.locator('#withdraw-1').click();
  assert.equal(await page.locator('#notice').textContent(), 'The signature is withdrawn.');
  assert.equal(Number(await page.locator('#individuals-1').textContent()), before);
  assert.deepEqual(errors, [], 'no CSP violations or other console errors');
  await context.close();
});
