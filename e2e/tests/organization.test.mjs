// An organization's own people at work, in a browser with JavaScript switched off: a member
// whom the operator made delegate and registrar sets up the authenticator app, edits the
// organization's public profile and issues a batch of invitation codes, which are shown once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

let server;
let url;
let browser;
let code;
const handle = 'volkhov_clerk';
const passphrase = 'seven bridges over the volkhov';

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

async function logIn(page, secret, offset) {
  await page.goto(url + '/login');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (secret) {
    await page.getByLabel('Code from the app').fill(totp(secret, offset));
    await page.getByRole('button', { name: 'Check the code' }).click();
  }
}

test('a delegate edits the profile and a registrar issues codes within the quota', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();

  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Join' }).click();
  await logIn(page);

  // The operator appoints the new member (the server keeps running).
  for (const role of ['delegate', 'registrar']) {
    execFileSync(veche, ['roles', 'grant', '--db', server.db, '--handle', handle, '--role', role,
                         '--org', 'legal-aid-abroad'], { stdio: 'ignore' });
  }
  await page.goto(url + '/organizations/legal-aid-abroad/manage');
  assert.match(await page.locator('main').textContent(), /second factor/,
               'the role waits for the authenticator app');

  await page.goto(url + '/me/security');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = await page.locator('#totp-secret').textContent();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.goto(url + '/me');
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await logIn(page, secret, 1);
  assert.equal(new URL(page.url()).pathname, '/me');

  await page.goto(url + '/organizations/legal-aid-abroad');
  await page.getByRole('link', { name: 'Manage the organization' }).click();
  await page.getByLabel('Focus areas, one per line').fill('asylum cases\nextradition requests\nsummer school');
  await page.getByLabel('Names in other languages, one per line as "code: name"').fill('uk: Правова допомога за кордоном');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  assert.equal(new URL(page.url()).pathname, '/organizations/legal-aid-abroad');
  assert.equal(await page.locator('.notice').textContent(), 'The profile is saved.');
  assert.ok(await page.getByText('summer school').isVisible());
  assert.ok(await page.getByText('Правова допомога за кордоном').isVisible());
  await screenshot(page, 'organization-profile-en');

  // A bad website is refused with the reason, and the form keeps what was typed.
  await page.goto(url + '/organizations/legal-aid-abroad/manage');
  await page.getByLabel('Website').fill('ftp://files.example');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  assert.match(await page.locator('.form-error').textContent(), /https:\/\//);
  assert.equal(await page.getByLabel('Website').inputValue(), 'ftp://files.example');

  await page.goto(url + '/organizations/legal-aid-abroad');
  await page.getByRole('link', { name: 'Invitation codes' }).click();
  const before = Number(await page.locator('#count-unused').textContent());
  await page.getByLabel('How many codes').fill('3');
  await page.getByRole('button', { name: 'Issue the codes' }).click();
  const codes = await page.locator('#new-codes code').allTextContents();
  assert.equal(codes.length, 3);
  for (const c of codes) assert.match(c, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  assert.equal(Number(await page.locator('#count-unused').textContent()), before + 3);
  await screenshot(page, 'organization-codes-en');
  await page.goto(url + '/organizations/legal-aid-abroad/codes');
  assert.equal(await page.locator('#new-codes').count(), 0, 'codes are shown only once');

  // The quota the coalition set holds on the web too.
  execFileSync(veche, ['invitations', 'quota', '--db', server.db, '--org', 'legal-aid-abroad',
                       '--codes', '10', '--period-days', '30'], { stdio: 'ignore' });
  await page.goto(url + '/organizations/legal-aid-abroad/codes');
  await page.getByLabel('How many codes').fill('50');
  await page.getByRole('button', { name: 'Issue the codes' }).click();
  assert.match(await page.locator('.form-error').textContent(), /can still be issued/);
  await context.close();
});
