// login.test.js - the console's main task in a real browser: sign in, see the
// dashboard, sign out. Run by scripts/test (node --test) against the pool
// behind lighttpd; drives Debian's chromium through playwright-core.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with scripts/test`);
  return value;
};

const baseUrl = env('OSTIUM_URL');
const email = env('OSTIUM_ADMIN_EMAIL');
const password = env('OSTIUM_ADMIN_PASSWORD');

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

let context;
let profileDir;

before(async () => {
  const parent = process.env.OSTIUM_TEST_DIR || os.tmpdir();
  profileDir = fs.mkdtempSync(path.join(parent, 'chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.OSTIUM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
});

after(async () => {
  try {
    if (context) await context.close();
  } finally {
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  }
});

const pathOf = (url) => new URL(url).pathname;

// Clicks the button named NAME and waits to land on PATHNAME; on failure,
// says where the browser is and what the page shows.
async function clickAndLand(page, name, pathname) {
  try {
    await Promise.all([
      page.waitForURL((url) => url.pathname === pathname),
      page.getByRole('button', { name }).click(),
    ]);
  } catch (err) {
    const text = await page.locator('body').innerText().catch(() => '');
    err.message += `\nafter "${name}": at ${page.url()}, showing:\n${text.slice(0, 600)}`;
    throw err;
  }
}

test('an administrator signs in to the console and signs out', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/admin/`);
    assert.equal(pathOf(page.url()), '/admin/login', 'an anonymous visit is sent to the login page');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await clickAndLand(page, 'Sign in', '/admin/');
    await page.getByText(email).first().waitFor();

    await clickAndLand(page, 'Sign out', '/admin/login');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // Signed out means the dashboard is closed again.
    await page.goto(`${baseUrl}/admin/`);
    assert.equal(pathOf(page.url()), '/admin/login', 'the session ended with sign-out');
  } finally {
    await page.close();
  }
});
