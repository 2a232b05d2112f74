// The whole flow from issue to outcome in a browser with JavaScript switched off: a constituent
// raises an issue and supports it, the operator lowers the threshold so it is admitted, a
// delegate starts a campaign from it, records an action, a milestone and a petition, another
// constituent signs the petition and gets a receipt that the published list recounts with, the
// delegate records the outcome, and a visitor reads the track records with their SVG timelines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { person, issueCodes } from '../lib/people.mjs';

let server;
let url;
let browser;
const codes = [];

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      codes.push(...issueCodes(db, 'northern-forum', 3));
    },
  });
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A constituent of northern-forum; a delegate of it, with the second factor.
const member = (handle) => person(browser, server, { code: codes.shift(), handle });
const delegate = (handle) =>
  person(browser, server, { code: codes.shift(), handle, role: 'delegate', org: 'northern-forum' });

test('from an issue to the outcome of its campaign', async () => {
  // 1. A constituent raises an issue and supports it; the operator lowers the threshold.
  const raiser = await member('plates_raiser');
  await raiser.goto(url + '/agenda/new');
  await raiser.getByLabel('Title').fill('Lift the ban on cars with home-country plates');
  await raiser.getByLabel('Vehicles').check();
  await raiser.getByRole('button', { name: 'Raise the issue' }).click();
  const issue = new URL(raiser.url()).pathname.split('/')[2];
  await raiser.locator('#support').click();
  execFileSync(veche, ['agenda', 'threshold', '1', '--db', server.db], { stdio: 'ignore' });
  await raiser.goto(url + '/agenda/' + issue);
  assert.equal(await raiser.locator('#state').textContent(), 'Admitted');

  // 2. A delegate starts a campaign from it and records what the team does.
  const team = await delegate('ilmen_plates');
  await team.goto(url + '/campaigns');
  await team.locator('#start-link').click();
  await team.getByLabel('Number').fill(issue);
  await team.getByLabel('Title').fill('Home-country plates allowed again');
  await team.getByLabel('Goal (Markdown)').fill('Exiles may **drive** their own cars.');
  await team.getByLabel('Target institutions (one a line)').fill('European Commission\nLithuanian Customs');
  await team.locator('#start').click();
  assert.match(new URL(team.url()).pathname, /^\/campaigns\/\d+$/);
  const campaignPath = new URL(team.url()).pathname;
  assert.equal(await team.locator('#notice').textContent(), 'Recorded.');

  await team.locator('#action-kind').selectOption('letter');
  await team.locator('#action-title').fill('Letter to the European Commission');
  await team.locator('#action-links').fill('https://example.org/letter.pdf');
  await team.locator('#record-action').click();
  assert.match(await team.locator('#actions').textContent(), /Letter to the European Commission/);
  await team.locator('#milestone-title').fill('Hearing in the European Parliament');
  await team.locator('#add-milestone').click();
  await team.locator('#petition-title').fill('Let us drive our cars');
  await team.locator('#petition-text').fill('We ask the Commission to lift the ban.');
  await team.locator('#open-petition').click();
  const petitionPath = await team.locator('#petitions a').first().getAttribute('href');

  // 3. A constituent signs once and keeps the receipt; the published list recounts with it.
  const signer = await member('plates_signer');
  await signer.goto(url + petitionPath);
  await signer.locator('#public-name').fill('Marfa P.');
  await signer.locator('#sign').click();
  const receipt = (await signer.locator('#receipt').textContent()).trim();
  assert.equal(receipt.length, 52);
  assert.equal(await signer.locator('#signatures').textContent(), '1');
  await screenshot(signer, 'campaign-petition-signed-en');
  const published = await (await fetch(url + '/api' + '/v1' + petitionPath + '/signatures')).text();
  assert.ok(!published.includes('plates_signer'));
  const file = join(mkdtempSync(join(tmpdir(), 'veche-petition-')), 'list.json');
  writeFileSync(file, published);
  const out = execFileSync(veche, ['campaign', 'petition', 'recount', file, '--receipt', receipt],
                           { encoding: 'utf8' });
  assert.match(out, /counted 1 distinct/);
  assert.match(out, /found in the list/);

  // 4. The outcome, with its evidence.
  await team.goto(url + campaignPath);
  await team.locator('#outcome-choice').selectOption('achieved');
  await team.locator('#outcome-evidence').fill('The Commission changed its guidance on 1 December.');
  await team.locator('#record-outcome').click();
  assert.equal(await team.locator('#outcome').textContent(), 'Achieved');
  await screenshot(team, 'campaign-outcome-en');

  // 5. A visitor reads the track records.
  const visitor = await (await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' })).newPage();
  await visitor.goto(url + '/track-record/organizations/northern-forum');
  assert.match(await visitor.locator('#campaigns').textContent(), /Home-country plates allowed again/);
  assert.equal(await visitor.locator('figure.chart svg').count(), 1);
  await screenshot(visitor, 'campaign-track-record-en');
  await visitor.goto(url + '/track-record/issues/' + issue);
  assert.match(await visitor.locator('#campaigns').textContent(), /Achieved/);
  await visitor.goto(url + campaignPath);
  assert.ok(!(await visitor.content()).includes('action-form'));
});
