// The home page, as a person sees it: in English and Russian, on a phone and a desktop,
// with JavaScript switched off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot } from '../lib/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(locale, viewport) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale, viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const response = await page.goto(server.url + '/');
  return { context, page, response, errors };
}

test('the home page shows the coalition and its members in English, without JavaScript', async () => {
  const { context, page, response, errors } = await open('en-US', { width: 1280, height: 900 });
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').textContent(), 'Free Assembly');
  const names = await page.locator('.cards .card h3').allTextContents();
  assert.equal(names.length, 7);
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')));
  assert.ok(await page.getByRole('link', { name: 'Read the charter' }).isVisible());
  assert.deepEqual(errors, [], 'no CSP violations or other console errors');
  await screenshot(page, 'home-en-desktop');
  await context.close();
});

test('the home page follows the browser language to Russian and reads well on a phone', async () => {
  const { context, page } = await open('ru-RU', { width: 390, height: 844 });
  assert.equal(await page.locator('h1').textContent(), 'Вольное вече');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  const names = await page.locator('.cards .card h3').allTextContents();
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'ru')));
  // Nothing is wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow}px wide on a 390px screen`);
  await screenshot(page, 'home-ru-phone');
  await context.close();
});

test('the language switcher changes the language and stays on the page', async () => {
  const { context, page } = await open('en-US', { width: 1280, height: 900 });
  await page.getByRole('link', { name: 'Organizations' }).first().click();
  await page.getByRole('link', { name: 'Русский' }).click();
  assert.match(page.url(), /\/organizations$/);
  assert.equal(await page.locator('h1').textContent(), 'Организации-участницы');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Member organizations');
  await context.close();
});

test('an organization page and the charter open from the home page', async () => {
  const { context, page } = await open('en-US', { width: 1280, height: 900 });
  await page.getByRole('link', { name: 'Legal Aid Abroad' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Legal Aid Abroad');
  await page.getByRole('link', { name: 'Charter' }).first().click();
  assert.equal(await page.locator('.prose h1').textContent(), 'Charter of the Free Assembly');
  await screenshot(page, 'charter-en');
  await context.close();
});

test('a page that does not exist says so in the reader\'s language', async () => {
  const { context, page } = await open('ru-RU', { width: 390, height: 844 });
  const response = await page.goto(server.url + '/nothing-here');
  assert.equal(response.status(), 404);
  assert.match(await page.locator('main').textContent(), /По этому адресу страницы нет/);
  await context.close();
});
