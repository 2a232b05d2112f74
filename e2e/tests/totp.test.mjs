// Turning on the authenticator app and logging in with it, as a person does it in a browser
// with JavaScript switched off. The test plays the authenticator app: it reads the key the
// page shows and computes the RFC 6238 code itself (HMAC-SHA1, 30 s, 6 digits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

let server;
let url;
let browser;
let code;

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      code = execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', 'legal-aid-abroad',
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

test('a constituent turns on the authenticator app and logs in with it', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 403/.test(msg.text())) errors.push(msg.text());
  });

  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill('ilmen_reader');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Join' }).click();
  const recovery = await page.locator('#recovery-code').textContent();
  assert.match(recovery, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/, 'the recovery code is shown once');

  await page.getByLabel('Handle').fill('ilmen_reader');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');
  assert.equal(await page.locator('#totp-summary').textContent(), 'Switched off');

  await page.getByRole('link', { name: 'Security: authenticator app and recovery code' }).click();
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = await page.locator('#totp-secret').textContent();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.ok(await page.getByRole('img', { name: 'QR code of the authenticator key' }).isVisible());
  assert.match(await page.locator('#totp-uri').getAttribute('href'),
               new RegExp(`^otpauth://totp/Veche:ilmen_reader\\?secret=${secret}&`));
  await screenshot(page, 'totp-enrol-en');

  // A mistyped code keeps the same key on the page.
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  assert.match(await page.locator('.form-error').textContent(), /not right/);
  assert.equal(await page.locator('#totp-secret').textContent(), secret);
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  assert.equal(await page.locator('.notice').textContent(), 'The authenticator app is on.');
  assert.equal(await page.locator('#totp-secret').count(), 0, 'the key is not shown again');

  await page.goto(url + '/me');
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.goto(url + '/login');
  await page.getByLabel('Handle').fill('ilmen_reader');
  await page.getByLabel('Passphrase').fill('four words of birch bark');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(new URL(page.url()).pathname, '/login/totp');
  assert.equal(await page.locator('h1').textContent(), 'Second step');
  await screenshot(page, 'totp-login-en');
  // The current step was spent turning the app on; the next one is inside the window.
  await page.getByLabel('Code from the app').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Check the code' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');
  assert.equal(await page.locator('#totp-summary').textContent(), 'Switched on');
  assert.deepEqual(errors, [], 'no CSP violations or other console errors');
  await context.close();
});
