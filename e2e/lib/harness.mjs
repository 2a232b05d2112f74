// Starts `veche serve` on a free loopback port with a temporary database, and a headless
// Debian chromium through playwright-core (no browser download). Screenshots go to
// build/e2e/ so a person can look at them after a run.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const veche = process.env.VECHE_BIN || join(root, 'build', 'bin', 'veche');
export const shotDir = process.env.VECHE_SHOT_DIR || join(root, 'build', 'e2e');

// `prepare(dbPath)`, when given, runs before the server starts (to issue codes with the CLI,
// say); the demo coalition is loaded either way.
export async function startServer(extraArgs = [], { prepare } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'veche-e2e-'));
  const db = join(dir, 'veche.db');
  if (prepare) await prepare(db);
  const child = spawn(veche, ['serve', '--db', db, '--listen', '127.0.0.1:0',
                              '--demo', '--log-level', 'warn', ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('veche serve did not start in 20 s')), 20000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/serving on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`veche serve exited ${code}`)); });
  });
  return {
    url,
    db,
    output: () => out,  // what the server printed on stdout so far
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  throw new Error('no chromium found: scripts/deps installs Debian\'s chromium package');
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page, name) {
  mkdirSync(shotDir, { recursive: true });
  const path = join(shotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
