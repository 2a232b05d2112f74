// People of the browser tests: someone joins with an invitation code, logs in, and, when a role
// is given, is granted it by the operator (the CLI), turns on the authenticator app and logs in
// again with both factors, as roles require. JavaScript is off, as for the most careful users.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche } from './harness.mjs';
import { totp } from './totp.mjs';

export const passphrase = 'the bell of the veche rings';

// Returns the logged-in page. `role` (optional) with `org` for organization roles.
export async function person(browser, server, { code, handle, role, org }) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const url = server.url;
  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (!role) return page;
  const grant = ['roles', 'grant', '--db', server.db, '--handle', handle, '--role', role];
  execFileSync(veche, org ? [...grant, '--org', org] : grant, { stdio: 'ignore' });
  await page.goto(url + '/me/security');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = await page.locator('#totp-secret').textContent();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.goto(url + '/me');
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.goto(url + '/login');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Code from the app').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Check the code' }).click();
  assert.equal(new URL(page.url()).pathname, '/me');
  return page;
}

// Invitation codes for `org`, issued with the CLI before the server starts.
export function issueCodes(db, org, count) {
  return execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', org, '--count',
                              String(count), '--days', '2'], { encoding: 'utf8' }).trim().split('\n');
}

// "2026-11-27T18:00:05" in UTC for the time `ms` (since the epoch), as a datetime-local input keeps
// it: the browser drops zero seconds ("18:00"), and Playwright's fill rejects a value the input
// rewrites.
export function utcAt(ms) {
  const at = new Date(ms).toISOString().slice(0, 19);
  return at.endsWith(':00') ? at.slice(0, 16) : at;
}

// The same, `seconds` from now.
export function utcIn(seconds) {
  return utcAt(Date.now() + seconds * 1000);
}
