// Casting under load on loopback (issue 9, "Benchmark"): an election with CREDENTIALS
// credentials and ballots of 12 ciphertexts (3 questions x 4 choices) is built with the command
// line and imported into a served database; BALLOTS ballots are encrypted ahead with
// web/static/js/veche-crypto.mjs (one per credential), then POSTed to
// /api/v1/elections/1/ballots by CONCURRENCY clients. Prints accepted ballots per second, p50
// and p99 latency, and the time to encrypt one ballot in Node (the browser's code).
// Usage: node bench/elections_web/cast_load.mjs [CREDENTIALS=10000] [BALLOTS=2000] [CONCURRENCY=16]
// The load comes from wrk (CLIENT=wrk, the default) or from Node's fetch (CLIENT=node).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCrypto } from '../../web/static/js/veche-crypto.mjs';
import { veche, startServer } from '../../e2e/lib/harness.mjs';

const [credentials = 10000, ballots = 2000, concurrency = 16] = process.argv.slice(2).map(Number);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const sodium = require('libsodium-wrappers-sumo');
await sodium.ready;
const vc = makeCrypto(sodium);
const dir = mkdtempSync(join(tmpdir(), 'veche-cast-load-'));
const run = (args) => execFileSync(veche, args, { cwd: dir, encoding: 'utf8' });
const key = (out) => out.match(/public key: ([0-9a-f]{64})/)[1];

run(['election', 'admin-key', '--out', 'admin.key']);
const registrar = key(run(['registrar', 'keygen', '--out', 'registrar.key']));
const trustees = ['t1.key', 't2.key', 't3.key'].map((k) => key(run(['trustee', 'keygen', '--out', k])));
const q = (id) => ({ id, kind: 'approval', choices: ['A', 'B', 'C', 'D'], min: 0, max: 2, blank: true });
writeFileSync(join(dir, 'spec.json'), JSON.stringify({
  election_id: 'cast-load', title: 'Load', questions: [q('q1'), q('q2'), q('q3')],
  trustees: trustees.map((k, i) => ({ name: `T${i + 1}`, key: k })), threshold: 2,
  registrars: [{ name: 'R', key: registrar }],
}));
run(['election', 'create', '--board', 'board', '--spec', 'spec.json', '--admin-key', 'admin.key']);
for (let r = 0; r < 3; r++) for (const k of ['t1.key', 't2.key', 't3.key']) run(['trustee', 'share', '--board', 'board', '--key', k]);
run(['registrar', 'credentials', '--board', 'board', '--key', 'registrar.key', '--voters', String(credentials), '--out', 'codes.txt']);
const codes = readFileSync(join(dir, 'codes.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
run(['election', 'open', '--board', 'board', '--admin-key', 'admin.key']);
const events = readFileSync(join(dir, 'board', 'board.jsonl'), 'utf8').trim().split('\n').map(JSON.parse);
const setup = events.find((e) => e.type === 'setup').payload;
const opened = events.find((e) => e.type === 'open').payload;
const election = { fingerprint: vc.unhex(opened.fingerprint), jointKey: vc.unhex(opened.joint_key), questions: setup.questions };

const t0 = performance.now();
const payloads = [];
for (let v = 0; v < ballots; v++) {
  const cred = vc.credentialFromCode(setup.election_id, codes[v % codes.length]);
  payloads.push(vc.encryptBallot(election, cred, [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]).payload);
}
const encryptMs = (performance.now() - t0) / ballots;

const server = await startServer((process.env.SERVE_ARGS || '').split(' ').filter(Boolean), { prepare(db) { run(['election', 'import', '--board', 'board', '--db', db]); } });
// A voter's browser reads the election before casting (the booth page); so does this, once, so
// the server has read the board before the load starts (without it the first few ballots wait
// for that read, 0.2-0.4 s with 10,000 credentials).
await (await fetch(`${server.url}/api/v1/elections/1`)).arrayBuffer();
let accepted = 0;
let seconds = 0;
let p50 = '';
let p99 = '';
let client = 'node';
if (!process.env.CLIENT || process.env.CLIENT === 'wrk') {
  // wrk (C, two threads) leaves more of the two cores to the server than Node's fetch does.
  client = 'wrk';
  writeFileSync(join(dir, 'ballots.txt'), payloads.join('\n') + '\n');
  const out = execFileSync('wrk', ['-t2', `-c${concurrency}`, `-d${process.env.DURATION || '4s'}`, '--timeout', '10s',
                                   '-s', join(root, 'bench', 'elections_web', 'cast.lua'),
                                   `${server.url}/api/v1/elections/1/ballots`, '--',
                                   join(dir, 'ballots.txt'), '2'], { encoding: 'utf8' });
  accepted = Number(out.match(/accepted (\d+)/)[1]);
  seconds = Number(out.match(/seconds ([\d.]+)/)[1]);
  p50 = out.match(/p50 ([\d.]+)/)[1];
  p99 = out.match(/p99 ([\d.]+)/)[1];
  if (process.env.VERBOSE) console.log(out);
  if (!out.includes('exhausted 0')) console.log('every ballot was sent before the end: give more BALLOTS');
} else {
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < payloads.length) {
      const body = payloads[next++];
      const s = performance.now();
      const r = await fetch(`${server.url}/api/v1/elections/1/ballots`, { method: 'POST', body });
      await r.arrayBuffer();
      latencies.push(performance.now() - s);
      if (r.status === 201) accepted++;
    }
  }));
  seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  p50 = pct(0.5);
  p99 = pct(0.99);
}
await server.stop();
rmSync(dir, { recursive: true, force: true });
console.log(`credentials ${credentials}, ballots ${ballots} (12 ciphertexts), ` +
            `concurrency ${concurrency}, client ${client}`);
console.log(`accepted ${accepted} of ${ballots} prepared: ${(accepted / seconds).toFixed(0)} ballots/s; ` +
            `latency p50 ${p50} ms, p99 ${p99} ms`);
console.log(`encrypting one ballot in Node (veche-crypto.mjs): ${encryptMs.toFixed(1)} ms`);
