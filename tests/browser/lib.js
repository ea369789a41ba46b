// lib.js - shared helpers of the browser tests: Debian's chromium through
// playwright-core (headless, off the network, a fresh profile per file),
// sign-in, and clicks that must land on a given page.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with scripts/test`);
  return value;
}

// Flags that keep chromium off the (closed) network and quiet as root.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Starts chromium with a fresh profile; resolves with { context, close }.
async function launch() {
  const parent = process.env.OSTIUM_TEST_DIR || os.tmpdir();
  const profileDir = fs.mkdtempSync(path.join(parent, 'chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.OSTIUM_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
      viewport: { width: 1280, height: 900 },
    });
  } catch (err) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(15_000);
  const close = async () => {
    try {
      await context.close();
    } finally {
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  };
  return { context, close };
}

const pathOf = (url) => new URL(url).pathname;

// Clicks LOCATOR and waits for the navigation it starts to land on a page
// whose path matches PATHNAME (a string or a RegExp); on failure says where
// the browser is and what the page shows.
async function clickAndLand(page, locator, pathname, what = 'click') {
  const wanted = (url) =>
    typeof pathname === 'string' ? url.pathname === pathname : pathname.test(url.pathname);
  try {
    await Promise.all([page.waitForNavigation({ url: wanted, waitUntil: 'load' }), locator.click()]);
  } catch (err) {
    const text = await page.locator('body').innerText().catch(() => '');
    err.message += `\nafter "${what}": at ${page.url()}, showing:\n${text.slice(0, 800)}`;
    throw err;
  }
}

// Submits with LOCATOR (a button) and waits for the page that answers;
// resolves with its HTTP status.
async function submit(page, locator) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return response ? response.status() : 0;
}

// Signs in on PAGE as EMAIL with PASSWORD; ends on the dashboard.
async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await clickAndLand(page, page.getByRole('button', { name: 'Sign in' }), '/admin/', 'Sign in');
}

module.exports = { env, CHROMIUM_ARGS, launch, pathOf, clickAndLand, submit, signIn };
