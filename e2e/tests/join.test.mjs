// Joining with an invitation code, logging in and out, as a person does it in a browser with
// JavaScript switched off. The code comes from `veche invitations issue` on the server's
// database, as an operator or registrar would get it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

let server;
let url;
let browser;
let codes;

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      codes = execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', 'legal-aid-abroad',
                                   '--count', '2', '--days', '2'], { encoding: 'utf8' })
        .trim().split('\n');
    },
  });
  assert.equal(codes.length, 2);
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a constituent joins with a code, logs in, sees their account and logs out', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  // The refused code is answered 403 on purpose; the browser logs that status as an error.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 403/.test(msg.text())) errors.push(msg.text());
  });

  await page.goto(url + '/');
  await page.getByRole('link', { name: 'Join', exact: true }).click();
  assert.equal(await page.locator('h1').textContent(), 'Join');

  // A mistyped code: the error shows next to the form, the handle is kept, the passphrase not.
  await page.getByLabel('Invitation code').fill('AAAA-BBBB-CCCC-DDDD');
  await page.getByLabel('Handle').fill('ladoga_reader');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Join' }).click();
  assert.match(await page.locator('.form-error').textContent(), /cannot be used/);
  assert.equal(await page.getByLabel('Handle').inputValue(), 'ladoga_reader');
  assert.equal(await page.getByLabel('Passphrase').inputValue(), '');
  await screenshot(page, 'join-error-en');

  await page.getByLabel('Invitation code').fill(codes[0].toLowerCase());
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Join' }).click();
  assert.match(await page.locator('.notice').textContent(), /Your account is ready/);

  await page.getByLabel('Handle').fill('ladoga_reader');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');
  assert.equal(await page.locator('#account-handle').textContent(), 'ladoga_reader');
  assert.ok(await page.locator('.account-link').getByRole('link', { name: 'ladoga_reader' }).isVisible());
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'veche_session');
  assert.ok(session, 'a session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  await screenshot(page, 'account-en');

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.ok(await page.locator('.account-link').getByRole('link', { name: 'Log in' }).isVisible());
  await page.goto(url + '/me');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(errors, [], 'no CSP violations or other console errors');
  await context.close();
});

test('the join form speaks Russian and the used code cannot be used again', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(url + '/join');
  assert.equal(await page.locator('h1').textContent(), 'Присоединиться');
  await page.getByLabel('Код приглашения').fill(codes[0]);
  await page.getByLabel('Псевдоним').fill('second_try');
  await page.getByLabel('Парольная фраза').fill('another long passphrase');
  await page.getByRole('button', { name: 'Присоединиться' }).click();
  assert.match(await page.locator('.form-error').textContent(), /нельзя использовать/);
  await screenshot(page, 'join-error-ru');
  await context.close();
});
