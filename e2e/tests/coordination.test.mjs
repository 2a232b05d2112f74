// A coordinator at work in a browser with JavaScript switched off: a member whom the operator
// made coordinator of the (fictional) Lakeland Foreign Ministry sets up the authenticator app,
// adds an initiative to the directory, records support for an initiative another donor funds
// too, sees the overlap, records an event and sees it in the plurality chart. A visitor sees
// none of the coordinators' records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

let server;
let url;
let browser;
let code;
const handle = 'lakeland_desk';
const passphrase = 'ferries cross the lake at dawn';

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

test('a coordinator enters an initiative and support, sees the overlap and the plurality chart', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });

  await page.goto(url + '/join');
  await page.getByLabel('Invitation code').fill(code);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Join' }).click();
  await logIn(page);

  execFileSync(veche, ['roles', 'grant', '--db', server.db, '--handle', handle,
                       '--role', 'coordinator'], { stdio: 'ignore' });
  execFileSync(veche, ['coordination', 'coordinator', 'assign', '--db', server.db, handle,
                       'Lakeland Foreign Ministry'], { stdio: 'ignore' });
  // Without the second factor the coordinator reads the public view only.
  await page.goto(url + '/coordination/support');
  assert.equal(await page.locator('form[action="/coordination/support"]').count(), 0);

  await page.goto(url + '/me/security');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = await page.locator('#totp-secret').textContent();
  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.goto(url + '/me');
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await logIn(page, secret, 1);

  await page.goto(url + '/coordination');
  assert.match(await page.locator('#coord-who').textContent(), /Lakeland Foreign Ministry/);

  // A new initiative in the directory.
  await page.goto(url + '/coordination/initiatives');
  await page.getByLabel('Name', { exact: true }).fill('Tundra Reporters');
  await page.locator('#i-field').selectOption('media');
  await page.getByLabel('Regions covered (comma-separated)').fill('Arctic, Yakutia');
  await page.getByLabel('Minorities represented').fill('Yakuts, Nenets');
  await page.getByRole('button', { name: 'Add the initiative' }).click();
  assert.equal(await page.locator('#initiative-name').textContent(), 'Tundra Reporters');

  // Support for the radio that Amber Coast funds too: an overlap.
  await page.goto(url + '/coordination/support');
  await page.locator('#s-initiative').selectOption({ label: 'Free Steppe Radio' });
  await page.getByLabel('Grant or programme').fill('Lakeland Media Line');
  await page.getByLabel('Amount (such as 1500.50)').fill('25000');
  await page.getByLabel('Currency').fill('EUR');
  await page.locator('#s-from').fill('2026-02-01');
  await page.locator('#s-to').fill('2026-10-31');
  await page.locator('#s-purpose').selectOption('core-funding');
  await page.locator('#s-visibility').selectOption('coordinators');
  await page.getByRole('button', { name: 'Record the support' }).click();
  assert.ok(await page.getByText('Lakeland Media Line').isVisible());

  // A bad amount is refused with the reason and changes nothing.
  await page.getByLabel('Grant or programme').fill('Bad Line');
  await page.getByLabel('Amount (such as 1500.50)').fill('12,5');
  await page.getByRole('button', { name: 'Record the support' }).click();
  assert.match(await page.locator('.form-error').textContent(), /two decimals/);

  await page.goto(url + '/coordination/overlap');
  const overlaps = await page.locator('#overlaps').textContent();
  assert.match(overlaps, /Free Steppe Radio/);
  assert.match(overlaps, /Lakeland Foreign Ministry/);
  assert.ok(await page.locator('#matrix td.shared').count() > 0);
  await screenshot(page, 'coordination-overlap-en');

  // An event, and the plurality chart.
  await page.goto(url + '/coordination/plurality');
  await page.getByLabel('Title').fill('Arctic media lab');
  await page.locator('#e-day').fill('2026-07-15');
  await page.getByLabel('Participants in all').fill('20');
  await page.getByLabel('of whom women').fill('11');
  await page.getByLabel('of non-Russian ethnic origin').fill('6');
  await page.locator('#e-visibility').selectOption('public');
  await page.getByRole('button', { name: 'Record the event' }).click();
  assert.ok(await page.getByText('Arctic media lab').isVisible());
  assert.ok(await page.locator('#chart-women svg rect.bar').count() > 0);
  assert.ok(await page.locator('#chart-trend svg polyline').count() > 0);
  await screenshot(page, 'coordination-plurality-en');

  // Counts that do not add up are refused.
  await page.getByLabel('Title').fill('Impossible');
  await page.locator('#e-day').fill('2026-07-16');
  await page.getByLabel('Participants in all').fill('5');
  await page.getByLabel('of whom women').fill('9');
  await page.getByLabel('of non-Russian ethnic origin').fill('0');
  await page.getByRole('button', { name: 'Record the event' }).click();
  assert.match(await page.locator('.form-error').textContent(), /9 women among 5/);

  // A visitor sees the public event, not the coordinators' support record.
  const visitor = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const anon = await visitor.newPage();
  await anon.goto(url + '/coordination/support');
  assert.ok(!(await anon.content()).includes('Lakeland Media Line'));
  await anon.goto(url + '/coordination/plurality');
  assert.ok((await anon.content()).includes('Arctic media lab'));
  await visitor.close();
  // The two refused forms above answer 400 on purpose; the browser logs each as a failed load.
  const unexpected = errors.filter((e) => !e.includes('status of 400'));
  assert.equal(errors.length - unexpected.length, 2, 'the two refused forms');
  assert.deepEqual(unexpected, [], 'no other console errors');
  await context.close();
});
