// Running the mandate and asking the constituents from the web, JavaScript off: a moderator opens
// a priority round from /agenda, a constituent ranks the admitted issues, the moderator closes
// it and the result is on the round's page and /mandate; a delegate opens a consultation from
// /consultations/new. Bad input on the forms is refused with a message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { person, issueCodes, utcIn } from '../lib/people.mjs';

let server;
let browser;
let codes = [];

before(async () => {
  server = await startServer(['--deadline-interval', '0'], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      codes = issueCodes(db, 'northern-forum', 3);
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a moderator opens and closes a priority round; a delegate opens a consultation', async () => {
  const url = server.url;
  const mila = await person(browser, server, { code: codes[0], handle: 'mila_moderates', role: 'moderator' });
  await mila.goto(url + '/agenda');
  await mila.getByLabel('Title', { exact: true }).fill('Winter priorities');
  await mila.getByLabel('Counting method').selectOption('schulze');
  await mila.getByLabel('Voting opens').fill(utcIn(-60));
  // Closing before opening is refused with the reason, and no round is made.
  await mila.getByLabel('Voting closes').fill(utcIn(-120));
  await mila.getByRole('button', { name: 'Open the round' }).click();
  assert.match(await mila.locator('body').textContent(), /close after it opens/);
  await mila.goto(url + '/agenda');
  await mila.getByLabel('Title', { exact: true }).fill('Winter priorities');
  await mila.getByLabel('Voting opens').fill(utcIn(-60));
  await mila.getByLabel('Voting closes').fill(utcIn(3600));
  await screenshot(mila, 'agenda-open-round-en');
  await mila.getByRole('button', { name: 'Open the round' }).click();
  assert.equal(await mila.locator('#notice').textContent(), 'The round is open for ballots at the time shown.');
  const roundPath = new URL(mila.url()).pathname;

  // A constituent ranks two of the admitted issues.
  const ivan = await person(browser, server, { code: codes[1], handle: 'ivan_abroad' });
  await ivan.goto(url + roundPath);
  const selects = ivan.locator('select[name^="rank_"]');
  assert.ok(await selects.count() >= 2);
  await selects.nth(1).selectOption('1');
  await selects.nth(0).selectOption('2');
  await ivan.locator('#cast').click();
  assert.match(await ivan.locator('#notice').textContent(), /Your ballot is recorded/);

  await mila.goto(url + roundPath);
  await mila.locator('#close-round button').click();
  await mila.waitForURL(/done=closed/);
  await mila.goto(url + roundPath);
  const ranking = await mila.locator('#ranking').textContent();
  assert.ok(ranking.length > 0);
  assert.match(await mila.locator('body').textContent(), /Ballots: 1/);
  await screenshot(mila, 'agenda-round-closed-en');
  await mila.goto(url + '/mandate');
  assert.match(await mila.locator('body').textContent(), /Winter priorities/);

  // A delegate asks every constituent.
  const anna = await person(browser, server, { code: codes[2], handle: 'anna_delegates', role: 'delegate', org: 'northern-forum' });
  await anna.goto(url + '/consultations');
  await anna.locator('#new-consultation').click();
  await anna.getByLabel('Title').fill('Where should the coalition open its next office?');
  await anna.getByLabel('Question (Markdown)').fill('Pick **one** city.');
  await anna.getByLabel('Options, one per line (2 to 30)').fill('Vilnius');
  await anna.getByLabel('Closes (UTC)').fill(utcIn(7 * 86400));
  await anna.locator('#open-consultation').click();
  assert.match(await anna.locator('#form-error').textContent(), /option/i);
  await anna.getByLabel('Options, one per line (2 to 30)').fill('Vilnius\nTbilisi\nBerlin');
  await screenshot(anna, 'consultation-new-en');
  await anna.locator('#open-consultation').click();
  assert.equal(await anna.locator('#notice').textContent(), 'The consultation is open.');
  assert.match(await anna.locator('body').textContent(), /Tbilisi/);
});
