// A consensus conversation in a browser with JavaScript switched off: a constituent opens the
// demo conversation, votes on statements one at a time, adds a statement; a moderator (with a
// second factor) accepts it from the queue; the constituent then meets it and everyone sees
// the report with the opinion map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { person, issueCodes } from '../lib/people.mjs';

let server;
let url;
let browser;
let codes = [];

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      codes = issueCodes(db, 'northern-forum', 2);
    },
  });
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('vote one statement at a time, add one, moderate it, see the report', async () => {
  const page = await person(browser, server, { code: codes[0], handle: 'ladoga_voter' });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });

  await page.goto(url + '/conversations');
  await page.getByRole('link', { name: /What should the coalition demand/ }).click();
  const conversationPath = new URL(page.url()).pathname;
  assert.match(conversationPath, /^\/conversations\/\d+$/);

  const seen = new Set();
  for (const button of ['Agree', 'Disagree', 'Pass / unsure']) {
    const text = await page.locator('#statement').textContent();
    assert.ok(!seen.has(text), `shown twice: ${text}`);
    seen.add(text);
    await page.getByRole('button', { name: button, exact: true }).click();
    assert.equal(await page.locator('#notice').textContent(), 'Your vote is recorded.');
  }
  assert.equal(await page.locator('#voted').textContent(), '3');
  await screenshot(page, 'conversation-voting-en');

  await page.getByLabel(/One short statement/).fill('Host states should fund legal aid for new arrivals.');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  assert.match(await page.locator('#notice').textContent(), /once a moderator accepts it/);
  const before = Number(await page.locator('#statement-count').textContent());

  const mod = await person(browser, server,
                           { code: codes[1], handle: 'volkhov_moderator', role: 'moderator' });
  await mod.goto(url + conversationPath);
  await mod.locator('#moderation-link').click();
  await screenshot(mod, 'conversation-queue-en');
  const item = mod.locator('#pending li', { hasText: 'fund legal aid for new arrivals' });
  await item.getByRole('button', { name: 'Accept' }).click();
  assert.equal(await mod.locator('#notice').textContent(), 'The decision is recorded.');
  // The demo's own pending statement is rejected with a public reason.
  const other = mod.locator('#pending li', { hasText: 'Consulates of host states' });
  await other.getByLabel('or reject, because').fill('Duplicate of an existing statement');
  await other.getByRole('button', { name: 'Reject' }).click();
  assert.ok(await mod.locator('#queue-empty').isVisible());
  await screenshot(mod, 'conversation-moderated-en');

  await page.goto(url + conversationPath);
  assert.equal(Number(await page.locator('#statement-count').textContent()), before + 1);
  // The accepted statement reaches the voter: it has the fewest votes of all.
  assert.equal(await page.locator('#statement').textContent(),
               'Host states should fund legal aid for new arrivals.');

  await page.locator('#report-link').click();
  assert.ok(await page.locator('#computed').isVisible());
  const map = page.locator('#opinion-map');
  await map.waitFor();
  const width = await map.evaluate((img) => img.naturalWidth);
  assert.ok(width > 0, 'the map is drawn');
  assert.ok((await page.locator('#groups .group').count()) >= 3);
  assert.ok((await page.locator('#consensus li').count()) >= 1);
  assert.ok(!(await page.locator('#main').innerHTML()).includes('ladoga_voter'));
  await screenshot(page, 'conversation-report-en');

  const ru = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU' });
  const visitor = await ru.newPage();
  await visitor.goto(url + conversationPath + '/report');
  assert.ok((await visitor.content()).includes('Карта мнений'));
  await screenshot(visitor, 'conversation-report-ru');
  await ru.close();
  assert.deepEqual(errors, []);
});
