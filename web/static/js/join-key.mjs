// The invitee's key made in the browser (/elections/{id}/join/{token}, section #browser-key):
// creates a trustee or registrar key file (the CLI's format, so `veche trustee`/`veche
// registrar` can use it too), downloads it to this device, and once the invitee says it is
// saved, registers only its public key with POST /api/v1/elections/{id}/role-keys and reloads.
// The key file is never sent. docs/elections.md describes it.
import { download, el, errorText, fillSection, loadCeremony, postJson, translator } from './ceremony-ui.mjs';

const t = translator({
  en: {
    heading: 'In this browser',
    intro: 'Or create your key in this browser: the key file is saved to this device only and never sent. Keep it safe and private: you need it for every later step, and nobody can make it again.',
    create: 'Create my key in this browser',
    saved: 'Your key file {file} was downloaded (fingerprint {fingerprint}; compare it out of band). Once it is saved somewhere safe, register it.',
    again: 'Download it again', register: 'I have saved it: register this key',
    registering: 'Registering…',
    refused: 'The server refused the key: {error}',
    failed: 'Could not continue: {error}',
  },
  ru: {
    heading: 'В этом браузере',
    intro: 'Или создайте ключ в этом браузере: файл ключа сохраняется только на этом устройстве и никуда не отправляется. Храните его надёжно и в тайне: он нужен на каждом следующем шаге, и восстановить его нельзя.',
    create: 'Создать мой ключ в этом браузере',
    saved: 'Файл ключа {file} скачан (отпечаток {fingerprint}; сверьте его по другому каналу). Когда он сохранён в надёжном месте, зарегистрируйте ключ.',
    again: 'Скачать ещё раз', register: 'Я сохранил файл: зарегистрировать ключ',
    registering: 'Регистрируем…',
    refused: 'Сервер отклонил ключ: {error}',
    failed: 'Не удалось продолжить: {error}',
  },
});

export function mountBrowserKey(section, { reload = () => location.reload() } = {}) {
  const { election, token, role } = section.dataset;
  const name = `veche-${role}-${election}.key`;
  const status = el('p', { class: 'ceremony-status', role: 'status', 'aria-live': 'polite' });
  const create = el('button', { type: 'button', class: 'button', text: t('create') });
  const again = el('button', { type: 'button', class: 'button secondary', hidden: true, text: t('again') });
  const register = el('button', { type: 'button', class: 'button', hidden: true, text: t('register') });
  fillSection(section, el('h2', { text: t('heading') }), el('p', { text: t('intro') }),
    el('p', {}, create, ' ', again, ' ', register), status);
  let made = null;

  create.addEventListener('click', async () => {
    try {
      const vk = await loadCeremony();
      made = vk.makeKeyFile(role);
      download(name, made.text);
      const fingerprint = vk.keyFingerprint(Uint8Array.from(made.publicKey.match(/../g), (h) => parseInt(h, 16)));
      status.textContent = t('saved', { file: name, fingerprint });
      create.hidden = true;
      again.hidden = false;
      register.hidden = false;
    } catch (err) {
      status.textContent = t('failed', { error: err.message });
    }
  });
  again.addEventListener('click', () => download(name, made.text));
  register.addEventListener('click', async () => {
    register.disabled = true;
    status.textContent = t('registering');
    try {
      const path = `/api/v1/elections/${encodeURIComponent(election)}/role-keys`;
      const res = await postJson(path, { token, key: made.publicKey });
      if (res.status !== 201) throw new Error(t('refused', { error: errorText(res) }));
      reload();
    } catch (err) {
      status.textContent = err.message;
      register.disabled = false;
    }
  });
}

const section = typeof document !== 'undefined' && document.getElementById('browser-key');
if (section) mountBrowserKey(section);
