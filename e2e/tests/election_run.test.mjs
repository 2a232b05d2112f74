// A site-run election in a browser with JavaScript switched off: a delegate fills in the guided
// form (a mistake keeps the form and says what is wrong), previews the ballot and sees one
// invitation link per trustee and registrar; each invitee opens the link and pastes the public
// key `veche trustee|registrar keygen` printed; the organizer freezes the setup; a trustee runs
// `veche trustee share` on the downloaded record and pastes the line it added into the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { veche, startServer, launchBrowser, screenshot } from '../lib/harness.mjs';
import { person, issueCodes } from '../lib/people.mjs';

let server;
let url;
let browser;
const codes = [];
const work = mkdtempSync(join(tmpdir(), 'veche-e2e-run-'));

before(async () => {
  server = await startServer([], {
    prepare(db) {
      execFileSync(veche, ['demo', '--db', db], { stdio: 'ignore' });
      codes.push(...issueCodes(db, 'northern-forum', 1));
    },
  });
  url = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// `veche <role> keygen` into the work folder; the public key it prints.
function keygen(role, file) {
  const out = execFileSync(veche, [role, 'keygen', '--out', join(work, file)], { encoding: 'utf8' });
  return out.match(/public key: ([0-9a-f]{64})/)[1];
}

test('an organizer creates an election, invitees register keys, a trustee uploads a CLI line',
     async () => {
  const organizer = await person(browser, server, {
    code: codes.shift(), handle: 'vote_organizer', role: 'delegate', org: 'northern-forum' });
  await organizer.goto(url + '/elections/new');
  await organizer.getByLabel('Title').fill('Council of the coalition 2027');
  await organizer.locator('#q1_id').fill('Who should chair the council?');
  await organizer.locator('#q1_kind').selectOption('single');
  await organizer.locator('#q1_choices').fill('Anna Petrova\nBoris Ivanov\nVera Smirnova');
  await organizer.locator('#q2_id').fill('Assembly');
  await organizer.locator('#q2_kind').selectOption('party_list');
  await organizer.locator('#q2_choices').fill('Northern list\nSouthern list\nDiaspora list');
  await organizer.locator('#q2_seats').fill('9');
  await organizer.locator('#q2_method').selectOption('sainte_lague');
  await organizer.locator('#q2_threshold').fill('50');
  await organizer.getByLabel(/Trustees' names/).fill('Left bloc\nCentre bloc\nRight bloc');
  await organizer.getByLabel('Trustees needed to decrypt the result').fill('4');
  await organizer.getByLabel(/Registrars' names/).fill('Central registry');
  await organizer.getByRole('button', { name: 'Create the draft' }).click();
  // A mistake: the form comes back with the message and everything typed.
  assert.match(await organizer.locator('#error').textContent(), /threshold must be between 1/);
  assert.equal(await organizer.locator('#q2_seats').inputValue(), '9');
  await organizer.getByLabel('Trustees needed to decrypt the result').fill('2');
  await organizer.getByRole('button', { name: 'Create the draft' }).click();
  const manage = new URL(organizer.url()).pathname;
  assert.match(manage, /^\/elections\/\d+\/manage$/);
  const base = manage.replace(/\/manage$/, '');
  assert.equal(await organizer.locator('#phase').textContent(), 'draft');
  assert.match(await organizer.locator('#extension-rule').textContent(), /more than 30 minutes/);
  const links = await organizer.locator('a.invite').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(links.length, 4);
  assert.ok(await organizer.locator('#do-setup').isDisabled());
  await screenshot(organizer, 'election-run-manage-draft');

  await organizer.goto(url + base + '/preview');
  assert.ok((await organizer.content()).includes('Who should chair the council?'));
  await screenshot(organizer, 'election-run-preview');

  // Each invitee, without an account, pastes the key the command line made.
  const invitee = await (await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' })).newPage();
  const roles = ['trustee', 'trustee', 'trustee', 'registrar'];
  for (let i = 0; i < 4; ++i) {
    await invitee.goto(url + links[i]);
    const key = keygen(roles[i], `${roles[i]}${i + 1}.key`);
    if (i === 0) {
      // 64 hexadecimal digits (the browser checks that much) that are not a public key.
      await invitee.getByLabel(/The public key it printed/).fill('f'.repeat(64));
      await invitee.getByRole('button', { name: 'Register my key' }).click();
      assert.match(await invitee.locator('#error').textContent(), /not a valid Ed25519 public key/);
      await screenshot(invitee, 'election-run-join-error');
    }
    await invitee.getByLabel(/The public key it printed/).fill(key);
    await invitee.getByRole('button', { name: 'Register my key' }).click();
    assert.match(new URL(invitee.url()).pathname, new RegExp(`^${base}/${roles[i]}s/\\d$`));
  }

  await organizer.goto(url + manage);
  assert.equal(await organizer.locator('a.invite').count(), 0);
  await organizer.locator('#do-setup').click();
  assert.equal(await organizer.locator('#phase').textContent(), 'setup');
  assert.equal(await organizer.locator('#notice').textContent(), 'Done.');

  // Trustee 1: download the record, run share, paste the new line.
  await invitee.goto(url + base + '/trustees/1');
  assert.match(await invitee.locator('#commands').textContent(), /veche trustee share --board board/);
  const board = join(work, 'board');
  mkdirSync(board, { recursive: true });
  const record = await (await fetch(url + base + '/record')).text();
  writeFileSync(join(board, 'board.jsonl'), record);
  const before = record.split('\n').filter(Boolean).length;
  execFileSync(veche, ['trustee', 'share', '--board', board, '--key', join(work, 'trustee1.key')],
               { stdio: 'ignore' });
  const added = readFileSync(join(board, 'board.jsonl'), 'utf8').split('\n').filter(Boolean).slice(before);
  assert.equal(added.length, 1);
  await invitee.getByLabel('The new lines of your board file').fill(added.join('\n'));
  await invitee.getByRole('button', { name: 'Publish' }).click();
  assert.equal(await invitee.locator('#notice').textContent(), 'Published.');
  assert.match(await invitee.locator('#status').textContent(), /Encryption key published: yes/);
  await screenshot(invitee, 'election-run-trustee');

  await organizer.goto(url + manage);
  assert.match(await organizer.locator('#trustee-1').textContent(), /key published/);
  await screenshot(organizer, 'election-run-manage-setup');
});
