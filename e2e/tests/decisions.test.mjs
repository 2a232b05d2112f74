// A coalition decision in a browser with JavaScript switched off: a delegate proposes a motion
// with a short voting window, the delegates of two organizations vote, one of them closes it
// after the window, and everyone sees the outcome on the motion page and in the public
// decisions log. The server runs on the real clock, so the test waits for the window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { person, utcAt } from '../lib/people.mjs';

let server;
let url;
let browser;
const codes = {};

before(async () => {
  server = await startServer(['--deadline-interval', '0'], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      for (const org of ['northern-forum', 'volga-federalists']) {
        codes[org] = execFileSync(veche, ['invitations', 'issue', '--db', db, '--org', org,
                                          '--count', '1', '--days', '2'],
                                  { encoding: 'utf8' }).trim();
      }
    },
  });
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Joins with the organization's code and becomes its delegate with both factors.
const delegate = (handle, org) =>
  person(browser, server, { code: codes[org], handle, role: 'delegate', org });

async function vote(page, motionPath, choice, reason) {
  await page.goto(url + motionPath);
  await page.getByLabel(choice, { exact: true }).check();
  if (reason) await page.getByLabel('Reasoning (required for an objection; public)').fill(reason);
  await page.locator('#cast-vote').click();
  assert.equal(await page.locator('#notice').textContent(), 'The vote is recorded.');
}

test('a delegate proposes, two organizations vote, the motion closes and the log shows it',
     async () => {
  const anna = await delegate('ladoga_anna', 'northern-forum');
  const boris = await delegate('kama_boris', 'volga-federalists');

  await anna.goto(url + '/motions');
  await anna.locator('#propose').click();
  await anna.getByLabel('Title').fill('Ask EU banks to stop closing exiles\' accounts');
  await anna.getByLabel('Text (Markdown)').fill('The coalition asks **EU banks** to stop.');
  await anna.getByLabel('Consensus: passes if no organization objects').check();
  // Seven member organizations: a quorum of 1/4 is two of them.
  await anna.getByLabel('Quorum numerator').fill('1');
  await anna.getByLabel('Quorum denominator').fill('4');
  // Wide enough for a loaded machine: proposing must end before the opening, both votes before
  // the close.
  const opensAt = Date.now() + 20000;
  const closesAt = opensAt + 40000;
  await anna.getByLabel('Voting opens (UTC); the discussion lasts until then')
    .fill(utcAt(opensAt));
  await anna.getByLabel('Voting closes (UTC)').fill(utcAt(closesAt));
  await anna.locator('#submit-motion').click();
  assert.equal(await anna.locator('#notice').textContent(), 'The motion is proposed.');
  const motionPath = new URL(anna.url()).pathname;

  await sleep(Math.max(0, opensAt - Date.now()) + 1500);
  await vote(anna, motionPath, 'yes', '');
  await vote(boris, motionPath, 'abstain', 'We support it but our members abroad disagree.');
  assert.match(await boris.locator('#vote-volga-federalists').textContent(), /abstain/);
  await screenshot(boris, 'motion-voting-en');

  await sleep(Math.max(0, closesAt - Date.now()) + 1500);
  await boris.goto(url + motionPath);
  await boris.locator('#close-motion').click();
  assert.equal(await boris.locator('#notice').textContent(), 'The motion is closed and counted.');
  assert.equal(await boris.locator('#outcome').textContent(), 'passed');
  assert.match(await boris.locator('#outcome-reason').textContent(), /no objection/);

  const visitor = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
  const anon = await visitor.newPage();
  await anon.goto(url + '/decisions?subject=motion/' + motionPath.split('/').pop());
  const log = await anon.locator('#decisions-log').textContent();
  assert.match(log, /motion\.proposed/);
  assert.match(log, /motion\.vote/);
  assert.match(log, /motion\.closed/);
  assert.match(log, /our members abroad disagree/);
  await screenshot(anon, 'decisions-log-en');
  await visitor.close();
});
