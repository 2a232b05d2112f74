// The voting booth on /elections/{id}/vote (docs/elections.md): the credential code (typed, or
// read from the URL fragment `#code=…`, which never reaches the server), the ballot, a review,
// encryption on this device (veche-crypto.mjs), the tracker, an optional Benaloh audit (§5.4:
// the randomness revealed in a downloadable audit file, that ballot never cast, the choices
// encrypted afresh), the cast over POST /api/v1/elections/{id}/ballots and the receipt.
// The page renders every text in the reader's language; this script only shows and fills it.
import { loadSodium } from './sodium.mjs';
import { makeCrypto } from './veche-crypto.mjs';

const booth = document.getElementById('booth');

const $ = (id) => document.getElementById(id);
const msg = (key) => booth.querySelector(`#booth-messages [data-msg="${key}"]`)?.textContent ?? key;

function show(stepId) {
  for (const s of booth.querySelectorAll('.booth-step')) s.hidden = s.id !== stepId;
  const heading = $(stepId).querySelector('h2');
  heading.tabIndex = -1;
  heading.focus();
}

function showError(el, text) {
  el.textContent = text;
  el.hidden = !text;
}

async function start() {
  const election = JSON.parse(booth.dataset.election);
  // The code from the sheet's QR code: read once, then removed from the address bar and history.
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('code');
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  booth.hidden = false;
  $('booth-nojs').hidden = true;
  let vc;
  try {
    vc = makeCrypto(await loadSodium());
  } catch {
    $('booth-loading').textContent = msg('no-crypto');
    return;
  }
  $('booth-loading').hidden = true;
  const key = {
    fingerprint: vc.unhex(election.fingerprint),
    jointKey: vc.unhex(election.joint_key),
    questions: election.questions,
  };
  const fieldsets = [...booth.querySelectorAll('fieldset.question')];
  let credential = null;
  let selections = null;
  let ballot = null;  // the encrypted ballot on offer: cast it or audit it, never both
  let auditUrl = null;

  // 1. The code.
  $('code').value = fromFragment || '';
  show('step-code');
  $('code-form').addEventListener('submit', (e) => {
    e.preventDefault();
    try {
      credential = vc.credentialFromCode(election.election_id, $('code').value);
    } catch (err) {
      showError($('code-error'), /24/.test(err.message) ? msg('code-length') : msg('code-letters'));
      $('code').focus();
      return;
    }
    showError($('code-error'), '');
    show('step-ballot');
  });

  // 2. The ballot: approval questions show how many are chosen and stop at the maximum.
  for (const fs of fieldsets) {
    fs.addEventListener('change', () => showError(fs.querySelector('[data-error]'), ''));
    const boxes = [...fs.querySelectorAll('input[type=checkbox]')];
    if (boxes.length === 0) continue;
    const max = Number(fs.dataset.max);
    const update = () => {
      const n = boxes.filter((b) => b.checked).length;
      for (const b of boxes) b.disabled = !b.checked && n >= max;
      fs.querySelector('[data-count]').textContent = `${msg('chosen')}: ${n} / ${max}`;
    };
    for (const b of boxes) b.addEventListener('change', update);
    update();
  }
  const read = () => {
    let firstBad = null;
    const out = fieldsets.map((fs, qi) => {
      const q = election.questions[qi];
      const row = new Array(q.choices.length).fill(0);
      const picked = [...fs.querySelectorAll('input:checked')];
      for (const input of picked) if (input.value !== 'blank') row[Number(input.value)] = 1;
      const n = row.reduce((a, b) => a + b, 0);
      let problem = '';
      if (fs.querySelector('input[type=radio]')) {
        if (picked.length === 0) problem = msg('choose-one');
      } else if (n > q.max) {
        problem = `${msg('too-many')} ${q.max}.`;
      } else if (n < q.min && !(q.blank && n === 0)) {
        problem = `${msg('too-few')} ${q.min}.`;
      }
      showError(fs.querySelector('[data-error]'), problem);
      if (problem && !firstBad) firstBad = fs;
      return row;
    });
    if (firstBad) {
      firstBad.querySelector('input')?.focus();
      return null;
    }
    return out;
  };
  $('ballot-form').addEventListener('submit', (e) => {
    e.preventDefault();
    selections = read();
    if (!selections) return;
    const list = $('review-list');
    list.replaceChildren();
    election.questions.forEach((q, qi) => {
      const dt = document.createElement('dt');
      dt.textContent = q.id;
      const dd = document.createElement('dd');
      const names = q.choices.filter((_, ci) => selections[qi][ci] === 1);
      dd.textContent = names.length ? names.join(', ') : msg('blank');
      list.append(dt, dd);
    });
    show('step-review');
  });
  $('back-to-ballot').addEventListener('click', () => show('step-ballot'));

  // 3. Encryption on this device (a repaint first, so "Encrypting…" shows on slow phones).
  const encrypt = () => {
    $('cast-status').textContent = msg('encrypting');
    showError($('cast-error'), '');
    show('step-encrypted');
    $('cast').disabled = true;
    $('audit').disabled = true;
    setTimeout(() => {
      ballot = vc.encryptBallot(key, credential, selections);
      $('tracker').textContent = ballot.shortTracker;
      $('cast-status').textContent = '';
      $('cast').disabled = false;
      $('audit').disabled = false;
    }, 30);
  };
  $('encrypt').addEventListener('click', encrypt);
  $('encrypt-again').addEventListener('click', encrypt);

  // Benaloh audit: reveal this ballot (it is then never cast) and offer the audit file.
  $('audit').addEventListener('click', () => {
    if (!ballot) return;
    const file = {
      kind: 'veche-ballot-audit',
      election_id: election.election_id,
      fingerprint: election.fingerprint,
      tracker: ballot.tracker,
      ballot: JSON.parse(ballot.payload),
      selections,
      randomness: ballot.randomness.map((row) => row.map((r) => vc.hex(r))),
    };
    const text = `${JSON.stringify(file, null, 1)}\n`;
    $('audit-tracker').textContent = ballot.shortTracker;
    ballot = null;
    $('audit-text').textContent = text;
    if (auditUrl) URL.revokeObjectURL(auditUrl);
    auditUrl = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    $('audit-download').href = auditUrl;
    show('step-audit');
  });

  // 4. Cast, then the receipt.
  $('cast').addEventListener('click', async () => {
    if (!ballot) return;
    $('cast').disabled = true;
    $('audit').disabled = true;
    $('cast-status').textContent = msg('sending');
    showError($('cast-error'), '');
    let response;
    try {
      response = await fetch(`/api/v1/elections/${election.id}/ballots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: ballot.payload,
        credentials: 'omit',
      });
    } catch {
      $('cast-status').textContent = '';
      showError($('cast-error'), msg('network'));
      $('cast').disabled = false;
      return;
    }
    const answer = await response.json().catch(() => ({}));
    $('cast-status').textContent = '';
    if (!response.ok) {
      let text = `${msg('refused')} (${response.status}): ${answer.error?.message ?? response.statusText}`;
      if (response.status === 429) {
        text = `${msg('retry')} ${response.headers.get('retry-after') || 60} ${msg('seconds')}.`;
        $('cast').disabled = false;
      } else if (/credential/i.test(answer.error?.message ?? '')) {
        text += ` ${msg('not-listed')}`;
      }
      showError($('cast-error'), text);
      return;
    }
    ballot = null;
    $('receipt-tracker').textContent = answer.short_tracker;
    $('receipt-full').textContent = answer.tracker;
    $('receipt-seq').textContent = String(answer.seq);
    $('receipt-time').textContent = new Date().toLocaleString(document.documentElement.lang);
    $('receipt-again').hidden = !answer.already_cast;
    $('receipt-board').href =
      `/elections/${election.id}/board?tracker=${encodeURIComponent(answer.short_tracker)}`;
    $('booth-cli').hidden = true;
    show('step-receipt');
    // The live count of ballots cast, now including this one.
    fetch(`/api/v1/elections/${election.id}`, { credentials: 'omit' })
      .then((r) => r.json())
      .then((summary) => { $('ballots').textContent = String(summary.ballots); })
      .catch(() => {});
  });
  $('print').addEventListener('click', () => window.print());
  $('vote-again').addEventListener('click', () => {
    $('booth-cli').hidden = false;
    show('step-ballot');
  });
}

if (booth) start();
