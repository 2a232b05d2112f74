// The registrar's credentials in the browser (/elections/{id}/registrars/{slot}, section
// #registrar-ceremony): reads the registrar's key file locally, makes N secret codes here,
// publishes only the sorted public credentials (a signed event), then offers printable sheets
// (one per voter, the code and a QR code of <origin>/elections/{id}/vote#code=<CODE>, the code
// in the fragment so it never reaches a server) and a CSV for a mail merge. The codes exist only
// in this tab. docs/elections.md describes it.
import {
  download, el, errorText, fetchRecord, fillSection, loadCeremony, postEvent, translator, yieldToPage,
} from './ceremony-ui.mjs';

const t = translator({
  en: {
    heading: 'In this browser',
    intro: 'Make the voters\' credentials here. The secret codes are made in this browser and never sent; the server receives only the public credentials.',
    file: 'Your registrar key file', voters: 'Number of voters', make: 'Make the codes and publish the credentials',
    making: 'Making {n} credentials…',
    progress: 'Making credentials: {done} of {n}…',
    sending: 'Publishing {n} public credentials…',
    tooMany: 'Give a number of voters from 1 to {max} (one registrar\'s list must fit in one upload). For more voters, appoint more registrars.',
    notMine: 'This key is not registrar {slot}\'s key. Choose the key file made for this slot.',
    already: 'Registrar {slot} has already published its credentials. Codes cannot be shown again: they were never stored.',
    closedSetup: 'The election is past its setup; credentials can no longer be added.',
    noSetup: 'The organizer has not frozen the setup yet: come back once it is.',
    published: '{n} credentials published (event {seq}). Print the sheets or download the CSV now: the codes exist only in this tab and are lost when you close it.',
    refused: 'The server refused the credentials: {error}',
    failed: 'Could not continue: {error}',
    print: 'Print the sheets', csv: 'Download the CSV (mail merge)',
    sheetTitle: 'Your voting credential', voter: 'Voter {n}',
    sheetHow: 'Scan the QR code with your phone\'s camera to open the ballot with your code filled in, or open the address below and type the code. Keep this sheet secret: anyone holding the code can vote in your place (you can vote again to replace an earlier ballot until the close).',
    code: 'Code', address: 'Address',
  },
  ru: {
    heading: 'В этом браузере',
    intro: 'Создайте учётные данные избирателей здесь. Секретные коды создаются в этом браузере и никуда не отправляются; сервер получает только открытые ключи.',
    file: 'Ваш файл ключа регистратора', voters: 'Число избирателей', make: 'Создать коды и опубликовать учётные данные',
    making: 'Создаём учётные данные: {n}…',
    progress: 'Создано учётных данных: {done} из {n}…',
    sending: 'Публикуем открытые ключи: {n}…',
    tooMany: 'Укажите число избирателей от 1 до {max} (список одного регистратора должен уместиться в одну загрузку). Если избирателей больше, назначьте больше регистраторов.',
    notMine: 'Это не ключ регистратора {slot}. Выберите файл ключа для этого места.',
    already: 'Регистратор {slot} уже опубликовал учётные данные. Коды нельзя показать снова: они нигде не хранились.',
    closedSetup: 'Подготовка выборов завершена; учётные данные больше нельзя добавить.',
    noSetup: 'Организатор ещё не закрепил параметры выборов: вернитесь, когда это будет сделано.',
    published: 'Опубликовано учётных данных: {n} (событие {seq}). Сейчас же распечатайте листы или скачайте CSV: коды существуют только в этой вкладке и пропадут при её закрытии.',
    refused: 'Сервер отклонил учётные данные: {error}',
    failed: 'Не удалось продолжить: {error}',
    print: 'Распечатать листы', csv: 'Скачать CSV (для рассылки)',
    sheetTitle: 'Ваши данные для голосования', voter: 'Избиратель {n}',
    sheetHow: 'Наведите камеру телефона на QR-код, чтобы открыть бюллетень с уже введённым кодом, или откройте адрес ниже и введите код. Храните лист в тайне: владелец кода может проголосовать за вас (до закрытия можно переголосовать, заменив прежний бюллетень).',
    code: 'Код', address: 'Адрес',
  },
});

const SVG = 'http://www.w3.org/2000/svg';
// One credentials event per registrar, of at most 16 MiB (the record's line limit, which the
// server's events route takes): 67 bytes per credential leave room for about 250,000.
export const MAX_VOTERS = 200000;

// A QR code as an SVG element (one path, no inline style); `qrcode` is qrcode-generator.
export function qrSvg(qrcode, text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4},${r + 4}h1v1h-1z`;
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n + 8} ${n + 8}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  const bg = document.createElementNS(SVG, 'rect');
  for (const [k, v] of [['width', n + 8], ['height', n + 8], ['fill', '#fff']]) bg.setAttribute(k, v);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

export const voteUrl = (origin, election, code) =>
  `${origin}/elections/${encodeURIComponent(election)}/vote#code=${code}`;
export const csvText = (origin, election, codes) =>
  `number,code,url\n${codes.map((c, k) => `${k + 1},${c},${voteUrl(origin, election, c)}`).join('\n')}\n`;

export function mountRegistrar(section) {
  const election = section.dataset.election;
  const slot = Number(section.dataset.slot);
  const file = el('input', { type: 'file', accept: '.key,.json,application/json,text/plain' });
  const voters = el('input', {
    type: 'number', min: 1, max: MAX_VOTERS, step: 1, required: true, value: section.dataset.votersHint || '',
  });
  const make = el('button', { type: 'button', class: 'button', text: t('make') });
  const status = el('p', { class: 'ceremony-status', role: 'status', 'aria-live': 'polite' });
  const outputs = el('p', { hidden: true });
  const sheets = el('div', { class: 'credential-sheets' });
  fillSection(section,
    el('h2', { text: t('heading') }), el('p', { text: t('intro') }),
    el('p', {}, el('label', {}, t('file'), ' ', file)),
    el('p', {}, el('label', {}, t('voters'), ' ', voters)),
    el('p', {}, make), status, outputs);
  document.body.append(sheets);  // printed alone (ceremony.css)
  const say = (text) => { status.textContent = text; };
  let codes = [];
  let title = '';

  async function buildSheets() {
    if (sheets.childElementCount === codes.length) return;
    const { default: qrcode } = await import('/static/vendor/qrcode-generator/dist/qrcode.mjs');
    sheets.replaceChildren(...codes.map((code, k) => {
      const url = voteUrl(location.origin, election, code);
      return el('article', { class: 'credential-sheet' },
        el('h2', { text: t('sheetTitle') }),
        el('p', { class: 'sheet-election', text: title }),
        el('p', { class: 'sheet-voter', text: t('voter', { n: k + 1 }) }),
        qrSvg(qrcode, url, `${t('address')}: ${url}`),
        el('p', { class: 'sheet-code' }, `${t('code')}: `, el('strong', { text: code })),
        el('p', { class: 'sheet-url' }, `${t('address')}: `,
          el('span', { text: url.slice(0, url.indexOf('#')) })),
        el('p', { class: 'sheet-how', text: t('sheetHow') }));
    }));
  }

  make.addEventListener('click', async () => {
    make.disabled = true;
    try {
      const n = Number(voters.value);
      if (!file.files[0]) throw new Error(t('file'));
      if (!Number.isSafeInteger(n) || n < 1 || n > MAX_VOTERS) {
        throw new Error(t('tooMany', { max: MAX_VOTERS }));
      }
      const vk = await loadCeremony();
      const key = vk.readKeyFile(await file.files[0].text(), 'registrar');
      const state = vk.replay(vk.parseRecord(await fetchRecord(election)));
      if (!state.setup) throw new Error(t('noSetup'));
      if (vk.registrarIndex(state, key) !== slot) throw new Error(t('notMine', { slot }));
      if (state.phase !== 'setup') throw new Error(t('closedSetup'));
      if (state.registrarsDone.has(slot)) throw new Error(t('already', { slot }));
      say(t('making', { n }));
      await yieldToPage();
      const issued = await vk.issueCredentials(state, slot, key, n, async (done) => {
        say(t('progress', { done: done.toLocaleString(), n: n.toLocaleString() }));
        await yieldToPage();
      });
      say(t('sending', { n: n.toLocaleString() }));
      const res = await postEvent(election, 'credentials', issued.payload);
      if (res.status !== 201) throw new Error(t('refused', { error: errorText(res) }));
      codes = issued.codes;
      title = state.setup.title;
      say(t('published', { n, seq: res.body.seq }));
      const print = async () => {
        await buildSheets();
        window.print();
      };
      const csv = () => download(`credentials-${election}-registrar-${slot}.csv`,
        csvText(location.origin, election, codes), 'text/csv');
      outputs.replaceChildren(
        el('button', { type: 'button', class: 'button', text: t('print'), onclick: print }), ' ',
        el('button', { type: 'button', class: 'button secondary', text: t('csv'), onclick: csv }));
      outputs.hidden = false;
      file.disabled = true;
      voters.disabled = true;
      window.addEventListener('beforeunload', (e) => e.preventDefault());
    } catch (err) {
      say(t('failed', { error: err.message }));
      make.disabled = false;
    }
  });
}

const section = typeof document !== 'undefined' && document.getElementById('registrar-ceremony');
if (section) mountRegistrar(section);
