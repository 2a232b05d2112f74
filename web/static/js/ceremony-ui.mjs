// What the trustee, registrar and join pages' scripts share: strings in the page's language,
// building elements (no innerHTML: the site's policy allows no inline code), reading a local
// file, downloading one, and the two server calls of the contract (the record, and posting a
// signed event). The cryptography is in veche-ceremony.mjs; nothing here sends a secret.
import { makeCeremony } from './veche-ceremony.mjs';

export const lang = () => ((document.documentElement.lang || 'en').startsWith('ru') ? 'ru' : 'en');

// `strings` is {en: {key: text}, ru: {key: text}}; `{name}` in a text is replaced from `vars`.
export function translator(strings) {
  const table = strings[lang()] || strings.en;
  return (key, vars = {}) =>
    (table[key] ?? strings.en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// Shows a page's enhanced section with `children`, and links web/static/ceremony.css once.
export function fillSection(section, ...children) {
  if (!document.querySelector('link[href="/static/ceremony.css"]')) {
    document.head.append(el('link', { rel: 'stylesheet', href: '/static/ceremony.css' }));
  }
  section.append(...children);
  section.hidden = false;
}

export function download(name, text, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The page's libsodium (web/static/js/sodium.mjs loads the vendored files) and the ceremony.
let ceremony = null;
export async function loadCeremony() {
  if (!ceremony) {
    const { loadSodium } = await import('./sodium.mjs');
    ceremony = makeCeremony(await loadSodium());
  }
  return ceremony;
}

export async function fetchRecord(election) {
  const r = await fetch(`/elections/${encodeURIComponent(election)}/record`, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
  return r.text();
}

// POSTs JSON; resolves with {status, body} whatever the status (the caller explains it).
export async function postJson(path, value) {
  const r = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(value),
  });
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  return { status: r.status, body };
}

export const postEvent = (election, type, payload) =>
  postJson(`/api/v1/elections/${encodeURIComponent(election)}/events`, { type, payload });

export const errorText = (res) =>
  (res.body && (res.body.error?.message || res.body.error || res.body.message)) || `HTTP ${res.status}`;

// Lets the page repaint before a long computation.
export const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));
