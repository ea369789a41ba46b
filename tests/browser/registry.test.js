// registry.test.js - the registry's main task in a real browser (issue 4,
// done-when 2): sign in, create a suite and a project, create an
// application with every field of its identity sheet through the console
// forms, see its private API key once, add an application user, fail to
// delete the application (the page says why), disable and remove the user,
// then delete the application. Also saves a screenshot of the application
// page (OSTIUM_TEST_DIR/app-page.png) for a look at the layout.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { env, launch, pathOf, clickAndLand, submit, signIn } = require('./lib');

const baseUrl = env('OSTIUM_URL');
const email = env('OSTIUM_ADMIN_EMAIL');
const password = env('OSTIUM_ADMIN_PASSWORD');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

const unique = () => crypto.randomBytes(4).toString('hex');

function publicKeyPem() {
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return publicKey.export({ type: 'spki', format: 'pem' });
}

// A self-signed PEM certificate made by openssl.
function certificatePem() {
  const dir = fs.mkdtempSync(path.join(process.env.OSTIUM_TEST_DIR || os.tmpdir(), 'cert-'));
  try {
    return execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout',
      path.join(dir, 'key.pem'), '-subj', '/CN=registry-test', '-days', '2'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The text the page shows, for failure messages and checks.
const bodyText = (page) => page.locator('body').innerText();

test('an administrator registers an application through the console and deletes it', async () => {
  const page = await browser.context.newPage();
  const id = unique();
  const suiteName = `Suite ${id}`;
  const projectName = `Project ${id}`;
  const appName = `Registry app ${id}`;
  const userEmail = `app-user-${id}@example.org`;
  const keyCurrent = publicKeyPem();
  const keyPrevious = publicKeyPem();
  try {
    await signIn(page, baseUrl, email, password);

    // A suite, from the list page's "New suite".
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Suites' }).click();
    await clickAndLand(page, page.getByRole('link', { name: 'New suite' }), '/admin/suites/new');
    await page.getByLabel('Name', { exact: true }).fill(suiteName);
    await page.getByLabel('Description').fill('Made by the browser test');
    await clickAndLand(page, page.getByRole('button', { name: 'Create suite' }), /^\/admin\/suites\/\d+$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Suite ${suiteName}`);

    // A project, from the suite page's Projects panel.
    const projects = page.locator('section#projects');
    await projects.getByLabel('Name', { exact: true }).fill(projectName);
    await projects.getByLabel('Description').fill('Its project');
    const suitePath = pathOf(page.url());
    await clickAndLand(page, projects.getByRole('button', { name: 'Add project' }), suitePath);
    await page.locator('section#projects').getByRole('link', { name: projectName }).waitFor();

    // The application, with every field of the identity sheet.
    await page.goto(`${baseUrl}/admin/apps`);
    await clickAndLand(page, page.getByRole('link', { name: 'New application' }), '/admin/apps/new');
    for (const tab of ['Identity', 'API', 'Privileges', 'Web', 'Authentication', 'Config', 'Keys', 'Properties']) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: tab, exact: true }).waitFor();
    }
    const section = (name) => page.locator(`fieldset#${name}`);
    await section('identity').getByLabel('Name', { exact: true }).fill(appName);
    await section('identity').getByLabel('Description').fill('An application registered in a browser');
    await section('identity').getByLabel('Icon URL').fill('https://cdn.example.org/icon.png');
    await section('identity').getByLabel('App group id').fill(`group.${id}`);
    await section('identity').getByLabel('Suite').selectOption({ label: suiteName });
    await section('identity').getByLabel('Project').selectOption({ label: projectName });
    await section('api').getByLabel('Events URL').fill('https://hooks.example.org/ostium');
    await section('api').getByLabel('Allowed IP addresses').fill('192.0.2.0/24\n2001:db8::1');
    await section('privileges').getByLabel('Permissions').fill('SEND_MESSAGES\nGET_PRESENCE\nCUSTOM_THING');
    await section('privileges').getByLabel('Capabilities')
      .fill('{"read": ["connections", "users"], "write": ["connections"]}');
    await section('web').getByLabel('Domain').fill('https://app.example.org');
    await section('web').getByLabel('Allowed origins').fill('https://app.example.org\nhttps://admin.example.org');
    await section('web').getByLabel('Redirect URIs').fill('https://app.example.org/callback');
    await section('authentication').getByLabel('Authenticator').selectOption({ label: 'Authorization Flow' });
    await section('config').getByLabel('Access token lifespan (seconds)').fill('900');
    await section('config').getByLabel('Refresh token lifespan (seconds)').fill('86400');
    await section('keys').getByLabel('Public key (current)').fill(keyCurrent);
    await section('keys').getByLabel('Public key (previous)').fill(keyPrevious);
    await section('properties').getByLabel('Display')
      .fill('{"chat_button": true, "configuration_entry": false, "label": "Registry"}');
    await section('properties').getByLabel('Properties').fill('{"theme": "dark", "retries": 3}');
    const created = await submit(page, page.getByRole('button', { name: 'Create application' }));
    assert.equal(created, 201, await bodyText(page));

    // The private API key, shown this once.
    const secret = page.locator('.secret');
    await secret.getByText('it will not be shown again').waitFor();
    const key = (await secret.locator('code').nth(1).innerText()).trim();
    const publicId = (await secret.locator('code').nth(0).innerText()).trim();
    assert.match(key, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit key in base64url');
    assert.match(publicId, /^[0-9a-f]{26}$/);
    const appPath = await page.locator('form.record').first().getAttribute('action');
    assert.match(appPath, /^\/admin\/apps\/\d+$/);

    // Opened again, the page shows the public id but never the key.
    await page.goto(`${baseUrl}${appPath}`);
    const again = await page.content();
    assert.ok(!again.includes(key), 'the private key is not shown again');
    assert.equal(await page.locator('.secret').count(), 0);
    assert.ok(again.includes(publicId), 'the public id stays visible');
    // What was typed is what was stored.
    assert.equal(await section('identity').getByLabel('App group id').inputValue(), `group.${id}`);
    assert.equal(await section('privileges').getByLabel('Permissions').inputValue(),
      'SEND_MESSAGES\nGET_PRESENCE\nCUSTOM_THING');
    assert.equal(await section('authentication').getByLabel('Authenticator').inputValue(), 'authorization_code');
    assert.equal(await section('config').getByLabel('Access token lifespan (seconds)').inputValue(), '900');
    assert.equal((await section('keys').getByLabel('Public key (current)').inputValue()).trim(), keyCurrent.trim());
    assert.deepEqual(JSON.parse(await section('properties').getByLabel('Properties').inputValue()),
      { theme: 'dark', retries: 3 });

    // A key pair or a certificate: the sheet takes the certificate instead.
    await section('keys').getByLabel('Public key (current)').fill('');
    await section('keys').getByLabel('Public key (previous)').fill('');
    await section('keys').getByLabel('Certificate').fill(certificatePem());
    await clickAndLand(page, page.getByRole('button', { name: 'Save application' }), appPath);
    await page.getByText('Saved.').waitFor();
    assert.match(await section('keys').getByLabel('Certificate').inputValue(), /BEGIN CERTIFICATE/);

    await page.screenshot({ path: path.join(env('OSTIUM_TEST_DIR'), 'app-page.png'), fullPage: true });

    // An application user.
    // the add form (the tab also holds "Generate access token")
    const users = page.locator('section#users > form.record');
    await users.getByLabel('First name').fill('Ada');
    await users.getByLabel('Email').fill(userEmail);
    await users.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await users.getByLabel('Confirm password').fill('correct horse battery');
    await clickAndLand(page, users.getByRole('button', { name: 'Add user' }), appPath);
    const userRow = page.locator('section#users tr', { hasText: userEmail });
    await userRow.getByText('enabled', { exact: true }).waitFor();

    // The application cannot be deleted while it has users; the page says why.
    const refused = await submit(page, page.getByRole('button', { name: 'Delete application' }));
    assert.equal(refused, 409);
    await page.getByRole('alert').filter({ hasText: 'still has application users' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Application ${appName}`);

    // Disable the user, then remove them.
    await page.goto(`${baseUrl}${appPath}`);
    await clickAndLand(page, page.locator('section#users tr', { hasText: userEmail })
      .getByRole('button', { name: 'Disable' }), appPath);
    await page.locator('section#users tr', { hasText: userEmail }).getByText('disabled', { exact: true }).waitFor();
    await clickAndLand(page, page.locator('section#users tr', { hasText: userEmail })
      .getByRole('button', { name: 'Remove' }), appPath);
    await page.locator('section#users').getByText('This application has no users.').waitFor();

    // Now it goes.
    await clickAndLand(page, page.getByRole('button', { name: 'Delete application' }), '/admin/apps');
    await page.getByText('The application was deleted.').waitFor();
    const gone = await page.goto(`${baseUrl}${appPath}`);
    assert.equal(gone.status(), 404);
  } finally {
    await page.close();
  }
});
