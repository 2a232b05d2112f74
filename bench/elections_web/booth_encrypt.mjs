// Time to encrypt a ballot in headless Chromium (issue 9): the booth's own code
// (web/static/js/sodium.mjs + veche-crypto.mjs + the vendor libsodium files) served from a
// loopback server with the site's Content-Security-Policy (read from src/http/src/security.hpp),
// a ballot of 12 ciphertexts (one approval question with 12 choices, 5 chosen) encrypted, proved
// and signed 20 times after one warm-up (each then verified, untimed); prints the median and the
// spread. Usage: node bench/elections_web/booth_encrypt.mjs [runs]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'e2e', 'package.json'));
const { chromium } = require('playwright-core');
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) || 20);

// The policy of src/http/src/security.hpp.
const csp = readFileSync(join(root, 'src/http/src/security.hpp'), 'utf8')
  .match(/"Content-Security-Policy",\s*((?:"[^"]*"\s*)+)/)[1].replace(/"\s*"?/g, '');
const files = {
  '/static/js/sodium.mjs': join(root, 'web/static/js/sodium.mjs'),
  '/static/js/veche-crypto.mjs': join(root, 'web/static/js/veche-crypto.mjs'),
  '/bench.mjs': null,
};
for (const line of readFileSync(join(root, 'web/vendor.txt'), 'utf8').split('\n')) {
  if (line && !line.startsWith('#')) files[`/static/vendor/${line}`] = join(root, 'web/node_modules', line);
}
const benchModule = `
import { loadSodium } from '/static/js/sodium.mjs';
import { makeCrypto } from '/static/js/veche-crypto.mjs';
window.runBench = async (runs) => {
  const sodium = await loadSodium();
  const vc = makeCrypto(sodium);
  const election = {
    fingerprint: sodium.randombytes_buf(32),
    jointKey: vc.base(sodium.crypto_core_ristretto255_scalar_random()),
    questions: [{ id: 'council', kind: 'approval', choices: Array.from({ length: 12 }, (_, i) => 'c' + i),
                  min: 0, max: 12, blank: true }],
  };
  const credential = vc.credentialFromCode('bench', 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  const selections = [[1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0]];
  vc.encryptBallot(election, credential, selections);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const b = vc.encryptBallot(election, credential, selections);
    times.push(performance.now() - t0);
    if (!vc.verifyBallot(election, b.payload)) throw new Error('ballot does not verify');
  }
  return { times };
};
document.body.dataset.ready = '1';
`;
const server = createServer((req, res) => {
  const headers = { 'content-security-policy': csp };
  if (req.url === '/') {
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    return res.end('<!doctype html><body><script type="module" src="/bench.mjs"></script></body>');
  }
  if (!(req.url in files)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' });
  res.end(files[req.url] ? readFileSync(files[req.url]) : benchModule);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
const cspErrors = [];
page.on('pageerror', (e) => console.error('page error:', e.message));
if (process.env.BENCH_DEBUG) page.on('console', (m) => console.error('console:', m.text().slice(0, 300)));
page.on('console', (m) => { if (/Content Security Policy|WebAssembly/.test(m.text())) cspErrors.push(m.text()); });
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('body[data-ready]', { state: 'attached' });
const { times } = await page.evaluate((n) => window.runBench(n), runs);
await browser.close();
server.close();
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
console.log(`policy: ${csp}\nWebAssembly refused by the policy: ${cspErrors.length > 0 ? 'yes' : 'no'}`);
console.log(`encrypt a 12-ciphertext ballot, ${runs} runs: median ${q(0.5)} ms, ` +
            `min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
