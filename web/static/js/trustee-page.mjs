// The trustee's ceremony in the browser (/elections/{id}/trustees/{slot}, section
// #trustee-ceremony): reads the trustee's key file locally (never sent), replays the record and
// does the next step: publish the key, deal, check the deals and complain in public, and after
// the close, the partial decryption of the tally recomputed here from the ballots. Each step is
// a signed event POSTed to /api/v1/elections/{id}/events. docs/elections.md describes it.
import {
  el, errorText, fetchRecord, fillSection, loadCeremony, postEvent, translator, yieldToPage,
} from './ceremony-ui.mjs';

const t = translator({
  en: {
    heading: 'In this browser',
    intro: 'Do your steps here instead of with the command line. Your key file is read by this page only; it is never sent to the server.',
    file: 'Your trustee key file',
    proofs: 'Before decrypting, also check every ballot\'s proofs (slow: about half a minute per 1,000 ballots)',
    again: 'Check the board again',
    loading: 'Reading the board…',
    noSetup: 'The organizer has not frozen the setup yet: come back once it is.',
    notMine: 'This key is not trustee {slot}\'s key (it is {other}). Choose the key file made for this slot.',
    notTrustee: 'This key is not one of this election\'s trustees.',
    key: 'Next: publish your share-encryption key.', keyDo: 'Publish my key',
    'wait-keys': 'Waiting for the other trustees\' keys ({have} of {of}).',
    deal: 'Next: deal your shares (one encrypted to every trustee).', dealDo: 'Deal my shares',
    'wait-deals': 'Waiting for the other trustees\' deals ({have} of {of}).',
    check: 'Next: check the shares the other trustees sent you; a bad one is complained about in public.', checkDo: 'Check the deals',
    checked: 'Every deal is checked. Waiting for the organizer to open the election.',
    disqualified: 'You are not in the qualified set of trustees, so you do not decrypt.',
    'wait-close': 'The election is open. Come back after the close to decrypt the tally.',
    decrypt: 'The election is closed. Next: decrypt the tally ({ballots} ballots counted).', decryptDo: 'Decrypt the tally',
    done: 'Your partial decryption is on the board ({partials} of {of} needed).',
    replaying: 'Recomputing the tally from the ballots on the board…',
    published: 'Published {type} (event {seq}).',
    complaints: 'Every deal checked: {n} complaint(s) published.',
    refused: 'The server refused {type}: {error}',
    failed: 'Could not continue: {error}',
  },
  ru: {
    heading: 'В этом браузере',
    intro: 'Выполните свои шаги здесь вместо командной строки. Файл ключа читается только этой страницей и никогда не отправляется на сервер.',
    file: 'Ваш файл ключа доверенного лица',
    proofs: 'Перед расшифровкой проверить и доказательства каждого бюллетеня (медленно: около полуминуты на 1000 бюллетеней)',
    again: 'Проверить доску снова',
    loading: 'Читаем доску…',
    noSetup: 'Организатор ещё не закрепил параметры выборов: вернитесь, когда это будет сделано.',
    notMine: 'Это не ключ доверенного лица {slot} (это ключ {other}). Выберите файл ключа для этого места.',
    notTrustee: 'Этот ключ не принадлежит ни одному доверенному лицу этих выборов.',
    key: 'Далее: опубликуйте свой ключ шифрования долей.', keyDo: 'Опубликовать мой ключ',
    'wait-keys': 'Ждём ключи остальных доверенных лиц ({have} из {of}).',
    deal: 'Далее: раздайте доли (каждая зашифрована для своего доверенного лица).', dealDo: 'Раздать мои доли',
    'wait-deals': 'Ждём раздачи остальных доверенных лиц ({have} из {of}).',
    check: 'Далее: проверьте доли, которые вам прислали; на плохую подаётся публичная жалоба.', checkDo: 'Проверить раздачи',
    checked: 'Все раздачи проверены. Ждём, когда организатор откроет выборы.',
    disqualified: 'Вы не входите в квалифицированный набор доверенных лиц и не участвуете в расшифровке.',
    'wait-close': 'Голосование идёт. Вернитесь после закрытия, чтобы расшифровать итог.',
    decrypt: 'Голосование закрыто. Далее: расшифруйте итог (учтено бюллетеней: {ballots}).', decryptDo: 'Расшифровать итог',
    done: 'Ваша частичная расшифровка на доске ({partials} из {of} нужных).',
    replaying: 'Пересчитываем итог по бюллетеням с доски…',
    published: 'Опубликовано: {type} (событие {seq}).',
    complaints: 'Все раздачи проверены: жалоб опубликовано: {n}.',
    refused: 'Сервер отклонил {type}: {error}',
    failed: 'Не удалось продолжить: {error}',
  },
});

export function mountTrustee(section) {
  const election = section.dataset.election;
  const slot = Number(section.dataset.slot);
  const file = el('input', { type: 'file', accept: '.key,.json,application/json,text/plain' });
  const proofs = el('input', { type: 'checkbox' });
  const status = el('p', { class: 'ceremony-status', role: 'status', 'aria-live': 'polite' });
  const act = el('button', { type: 'button', class: 'button', hidden: true });
  const again = el('button', { type: 'button', class: 'button secondary', hidden: true, text: t('again') });
  const log = el('ol', { class: 'ceremony-log' });
  fillSection(section,
    el('h2', { text: t('heading') }), el('p', { text: t('intro') }),
    el('p', {}, el('label', {}, t('file'), ' ', file)),
    el('p', {}, el('label', {}, proofs, ' ', t('proofs'))),
    status, el('p', {}, act, ' ', again), log);

  let vk = null;
  let key = null;
  let state = null;
  let next = null;
  let checked = false;
  const say = (text) => { status.textContent = text; };
  const note = (text) => log.append(el('li', { text }));
  const busy = (on) => { act.disabled = on; again.disabled = on; file.disabled = on; };

  async function refresh() {
    say(t('loading'));
    act.hidden = true;
    const checkBallotProofs = proofs.checked;
    await yieldToPage();
    const text = await fetchRecord(election);
    state = vk.replay(vk.parseRecord(text), { checkBallotProofs });
    if (!state.setup) throw new Error(t('noSetup'));
    const i = vk.trusteeIndex(state, key);
    if (i === 0) throw new Error(t('notTrustee'));
    if (i !== slot) throw new Error(t('notMine', { slot, other: i }));
    next = vk.trusteeNext(state, i);
    const step = next.step === 'check' && checked ? 'checked' : next.step;
    say(t(step, { ...next, ballots: state.lastBallot.size }));
    const label = { key: 'keyDo', deal: 'dealDo', check: 'checkDo', decrypt: 'decryptDo' }[step];
    act.hidden = !label;
    if (label) act.textContent = t(label);
    again.hidden = false;
  }

  async function publish(type, payload) {
    const res = await postEvent(election, type, payload);
    if (res.status !== 201) throw new Error(t('refused', { type, error: errorText(res) }));
    note(t('published', { type, seq: res.body.seq }));
  }

  async function step() {
    if (next.step === 'key') await publish('trustee_key', vk.trusteeKey(state, slot, key));
    if (next.step === 'deal') await publish('trustee_deal', vk.trusteeDeal(state, slot, key));
    if (next.step === 'check') {
      const complaints = vk.checkDeals(state, slot, key);
      for (const c of complaints) await publish('trustee_complaint', c);
      note(t('complaints', { n: complaints.length }));
      checked = true;
    }
    if (next.step === 'decrypt') {
      say(t('replaying'));
      await yieldToPage();
      await publish('partial_decryption', vk.partialDecryption(state, slot, key));
    }
  }

  const guarded = (fn) => async () => {
    busy(true);
    try {
      await fn();
      await refresh();
    } catch (err) {
      say(t('failed', { error: err.message }));
    } finally {
      busy(false);
    }
  };
  file.addEventListener('change', guarded(async () => {
    vk = await loadCeremony();
    checked = false;
    key = vk.readKeyFile(await file.files[0].text(), 'trustee');
  }));
  act.addEventListener('click', guarded(step));
  proofs.addEventListener('change', () => key && guarded(async () => {})());
  again.addEventListener('click', guarded(async () => {}));
}

const section = typeof document !== 'undefined' && document.getElementById('trustee-ceremony');
if (section) mountTrustee(section);
