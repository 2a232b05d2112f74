// The ceremony page scripts (web/static/js/trustee-page.mjs, registrar-page.mjs, join-key.mjs)
// in headless Chromium, against a stand-in for the server side of the issue #9 contract: the
// section hooks the pages render, GET /elections/{id}/record from a CLI board folder, and the
// two POST APIs (events appended with their hash chain after a JavaScript replay; role keys
// remembered), under the site's Content-Security-Policy. A whole 2-of-3 election: a key made on
// the join page, three trustees clicking through key, deal and check, a registrar's codes as
// CSV and printable sheets with QR codes, CLI voters, two decryptions in the browser, then
// `veche-verify`. Screenshots: build/e2e/ceremony-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { makeCeremony } from '../../web/static/js/veche-ceremony.mjs';
import { launchBrowser, screenshot, veche } from '../lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const verifier = join(dirname(veche), 'veche-verify');
const POLICY = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; form-action 'self'";
// Until web/static/js/sodium.mjs (the booth's loader) is on this branch, the same thing here.
const SODIUM_SHIM = `export async function loadSodium() {
  for (const f of ['libsodium-sumo/dist/modules-sumo/libsodium-sumo.js',
                   'libsodium-wrappers-sumo/dist/modules-sumo/libsodium-wrappers.js']) {
    if (globalThis.sodium) break;
    await new Promise((ok, no) => { const s = document.createElement('script'); s.src = '/static/vendor/' + f;
      s.onload = ok; s.onerror = no; document.head.append(s); });
  }
  await globalThis.sodium.ready;
  return globalThis.sodium;
}`;

let vk;
let vc;
let dir;
let server;
let origin;
let browser;
const roleKeys = [];
const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
const boardFile = () => join(dir, 'board', 'board.jsonl');

function page(body, lang = 'en') {
  const title = 'Ceremony';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>` +
    `<link rel="stylesheet" href="/static/veche.css"></head><body><main id="main" class="wrap">${body}</main></body></html>`;
}

function handle(req, res) {
  const url = new URL(req.url, origin);
  const send = (status, type, body) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': POLICY });
    res.end(body);
  };
  const json = (status, value) => send(status, 'application/json', JSON.stringify(value));
  const p = url.pathname;
  if (req.method === 'POST') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const v = JSON.parse(body);
      if (p === '/api/v1/elections/1/role-keys') {
        if (!/^[0-9a-f]{64}$/.test(v.key)) return json(400, { error: { status: 400, message: 'bad key' } });
        roleKeys.push(v);
        return json(201, { role: 'trustee', slot: roleKeys.length });
      }
      if (p === '/api/v1/elections/1/events') {
        try {
          const st = vk.replay(vk.parseRecord(readFileSync(boardFile(), 'utf8')));
          const { line, hash } = vk.eventLine(st.events, st.head, v.type, vk.canonical(v.payload));
          vk.replay(vk.parseRecord(readFileSync(boardFile(), 'utf8') + line + '\n'));
          appendFileSync(boardFile(), line + '\n');
          return json(201, { seq: st.events, hash });
        } catch (err) {
          return json(400, { error: { status: 400, message: err.message } });
        }
      }
      return json(404, {});
    });
    return;
  }
  let m;
  if ((m = p.match(/^\/trustees\/(\d)$/))) {
    return send(200, 'text/html', page(`<h1>Trustee ${m[1]}</h1><section id="trustee-ceremony" data-election="1" data-slot="${m[1]}" data-phase="setup" hidden></section><script type="module" src="/static/js/election-ceremony-page.mjs"></script>`, url.searchParams.get('lang') || 'en'));
  }
  if (p === '/registrars/1') {
    return send(200, 'text/html', page('<h1>Registrar 1</h1><section id="registrar-ceremony" data-election="1" data-slot="1" data-voters-hint="4" hidden></section><script type="module" src="/static/js/election-ceremony-page.mjs"></script>'));
  }
  if (p === '/join') {
    return send(200, 'text/html', page(`<h1>Join</h1><p>Registered keys: ${roleKeys.length}</p><section id="browser-key" data-election="1" data-token="tok" data-role="trustee" hidden></section><script type="module" src="/static/js/election-ceremony-page.mjs"></script>`));
  }
  if (p === '/elections/1/record') return send(200, 'application/x-ndjson', existsSync(boardFile()) ? readFileSync(boardFile()) : '');
  const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
  let file = null;
  if (p === '/static/js/sodium.mjs' && !existsSync(join(root, 'web/static/js/sodium.mjs'))) {
    return send(200, 'text/javascript', SODIUM_SHIM);
  }
  if (p.startsWith('/static/vendor/')) file = join(root, 'web/node_modules', normalize(p.slice(15)));
  else if (p.startsWith('/static/')) file = join(root, 'web/static', normalize(p.slice(8)));
  if (file && !file.includes('..') && existsSync(file)) return send(200, types[extname(file)] || 'application/octet-stream', readFileSync(file));
  return send(404, 'text/plain', 'not found');
}

before(async () => {
  const sodium = require('libsodium-wrappers-sumo');
  await sodium.ready;
  vc = makeCrypto(sodium);
  vk = makeCeremony(sodium, vc);
  dir = mkdtempSync(join(tmpdir(), 'veche-ceremony-pages-'));
  server = createServer(handle);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openPage(path) {
  const context = await browser.newContext({ acceptDownloads: true });
  const p = await context.newPage();
  const problems = [];
  p.on('pageerror', (e) => problems.push(e.message));
  p.on('console', (msg) => { if (msg.type() === 'error' && !/status of 404/.test(msg.text())) problems.push(msg.text()); });
  p.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
  await p.goto(origin + path);
  return { p, problems, close: () => context.close() };
}

async function downloadText(p, click) {
  const [dl] = await Promise.all([p.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

test('trustees, a registrar and a new key in the browser run a whole election', { timeout: 240000 }, async () => {
  // The join page: a key made in the browser, downloaded, then registered.
  const join1 = await openPage('/join');
  await join1.p.getByRole('button', { name: 'Create my key in this browser' }).waitFor();
  assert.equal(await join1.p.getByRole('button', { name: 'I have saved it: register this key' }).isVisible(), false);
  const keyFile = await downloadText(join1.p, () => join1.p.getByRole('button', { name: 'Create my key in this browser' }).click());
  assert.equal(keyFile.name, 'veche-trustee-1.key');
  await join1.p.getByText(/fingerprint [0-9a-f]{16}/).waitFor();
  await screenshot(join1.p, 'ceremony-join-key');
  await join1.p.getByRole('button', { name: 'I have saved it: register this key' }).click();
  await join1.p.getByText('Registered keys: 1').waitFor();  // reloaded
  const t1 = vk.readKeyFile(keyFile.text, 'trustee');
  assert.equal(roleKeys[0].key, vc.hex(t1.publicKey));
  assert.equal(roleKeys[0].token, 'tok');
  assert.deepEqual(join1.problems, []);
  await join1.close();

  // Before the setup is frozen the trustee page says so (here in Russian).
  const early = await openPage('/trustees/1?lang=ru');
  await early.p.getByLabel('Ваш файл ключа доверенного лица').setInputFiles({ name: 'k', mimeType: 'application/json', buffer: Buffer.from(keyFile.text) });
  await early.p.getByText('Организатор ещё не закрепил параметры выборов').waitFor();
  assert.deepEqual(early.problems, []);
  await early.close();

  // The organizer's setup with the CLI; trustees 2 and 3 and the registrar made key files too.
  const files = [keyFile.text, vk.makeKeyFile('trustee').text, vk.makeKeyFile('trustee').text];
  const reg = vk.makeKeyFile('registrar');
  const pub = (text, role) => vc.hex(vk.readKeyFile(text, role).publicKey);
  run(['election', 'admin-key', '--out', 'admin.key']);
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({
    election_id: 'pages', title: 'Coalition council',
    questions: [{ id: 'council', kind: 'approval', choices: ['Anna', 'Boris', 'Vera'], min: 0, max: 2, blank: true }],
    trustees: files.map((f, i) => ({ name: `Faction ${'ABC'[i]}`, key: pub(f, 'trustee') })),
    threshold: 2,
    registrars: [{ name: 'Registrar', key: reg.publicKey }],
  }));
  run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);

  // Each trustee opens its page, gives its key file and presses the next step's button.
  const trusteeStep = async (slot, button, after, shot) => {
    const t = await openPage(`/trustees/${slot}`);
    await t.p.getByLabel('Your trustee key file').setInputFiles({ name: 'trustee.key', mimeType: 'application/json', buffer: Buffer.from(files[slot - 1]) });
    await t.p.getByRole('button', { name: button }).click();
    await t.p.getByText(after).first().waitFor();
    assert.equal(await t.p.getByRole('button', { name: button }).count(), 0);  // done: hidden or the next one
    if (shot) await screenshot(t.p, shot);
    assert.deepEqual(t.problems, []);
    await t.close();
  };
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Publish my key', /Published trustee_key/, slot === 1 && 'ceremony-trustee-key');
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Deal my shares', /Published trustee_deal/);
  for (const slot of [1, 2, 3]) await trusteeStep(slot, 'Check the deals', /0 complaint\(s\) published/, slot === 3 && 'ceremony-trustee-checked');

  // A key file for another slot is refused before anything is sent.
  const wrong = await openPage('/trustees/2');
  await wrong.p.getByLabel('Your trustee key file').setInputFiles({ name: 'k', mimeType: 'application/json', buffer: Buffer.from(files[0]) });
  await wrong.p.getByText("This key is not trustee 2's key (it is 1)").waitFor();
  await wrong.close();

  // The registrar: 4 codes (the page's hint), the CSV and the printable sheets.
  const r = await openPage('/registrars/1');
  await r.p.getByLabel('Your registrar key file').setInputFiles({ name: 'registrar.key', mimeType: 'application/json', buffer: Buffer.from(reg.text) });
  assert.equal(await r.p.getByLabel('Number of voters').inputValue(), '4');
  await r.p.getByRole('button', { name: 'Make the codes and publish the credentials' }).click();
  await r.p.getByText(/4 credentials published/).waitFor();
  const csv = await downloadText(r.p, () => r.p.getByRole('button', { name: 'Download the CSV (mail merge)' }).click());
  const rows = csv.text.trim().split('\n');
  assert.equal(rows[0], 'number,code,url');
  const codes = rows.slice(1).map((row, k) => {
    const [n, code, url] = row.split(',');
    assert.equal(Number(n), k + 1);
    assert.equal(url, `${origin}/elections/1/vote#code=${code}`);
    return code;
  });
  assert.equal(codes.length, 4);
  await r.p.evaluate(() => { window.print = () => { document.body.dataset.printed = 'yes'; }; });
  await r.p.getByRole('button', { name: 'Print the sheets' }).click();
  await r.p.locator('body[data-printed="yes"]').waitFor({ state: 'attached' });
  assert.equal(await r.p.locator('.credential-sheet').count(), 4);
  assert.equal(await r.p.locator('.credential-sheet svg.qr path').count(), 4);
  await r.p.emulateMedia({ media: 'print' });
  await screenshot(r.p, 'ceremony-registrar-sheets');
  assert.deepEqual(r.problems, []);
  await r.close();

  // The codes the browser made vote with the CLI; the CLI opens, closes.
  run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']);
  const vote = (v, select) => {
    writeFileSync(join(dir, 'code'), codes[v]);
    run(['vote', '--board', 'board', '--code-file', 'code', '--select', select]);
  };
  vote(0, 'council=Anna,Vera');
  vote(1, 'council=Boris');
  vote(2, 'council=Anna');
  vote(3, 'council=Vera');
  vote(1, 'council=Anna');  // revote
  run(['election', 'close', '--board', 'board', '--admin-key', 'admin.key']);

  await trusteeStep(3, 'Decrypt the tally', /Published partial_decryption/);
  await trusteeStep(1, 'Decrypt the tally', /Published partial_decryption/, 'ceremony-trustee-decrypted');
  run(['election', 'tally', '--board', 'board']);
  run(['election', 'publish', '--board', 'board', '--admin-key', 'admin.key']);
  run(['election', 'record', '--board', 'board', '--out', 'record.jsonl']);
  const verdict = spawnSync(verifier, ['record.jsonl'], { cwd: dir, encoding: 'utf8' });
  assert.equal(verdict.status, 0, verdict.stdout + verdict.stderr);
  assert.match(verdict.stdout, /council: 3 0 2/);
});
