// oauth_console.test.js - the console's "Generate access token" in an
// application's Application Users tab for each authenticator type, and
// the Config tab's lifespans (issue 10, done-when 3), in a real browser:
// User Credentials (an email; the administrator's act, audited),
// Authorization Flow (email and password give a code; Submit exchanges
// it), Authorization PKCE Flow (with a code challenge and method, then the
// verifier; plain refused), a person with a console role refused; the
// Config tab refuses a refresh lifespan not above the access one, and the
// tokens then carry what it saved.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { env, launch, pathOf, submit, signIn } = require('./lib');
const { sql } = require('../http/lib');
const { newAdmin, newApp, newUser, introspect, pkce } = require('../http/oauth_lib');

const baseUrl = env('OSTIUM_URL');
let browser;
let admin;

before(async () => {
  browser = await launch();
  admin = await newAdmin();
  // one sign-in: every page of the test shares the browser's session
  const page = await browser.context.newPage();
  await signIn(page, baseUrl, admin.email, admin.password);
  await page.close();
});

after(async () => {
  if (browser) await browser.close();
});

// A signed-in page on application APP's page.
async function appPage(app) {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/admin/apps/${app.id}`);
  return page;
}

// The "Generate access token" block of the Application Users tab.
const generate = (page) => page.locator('section#users .generate');

// The value shown for LABEL in the block's result.
async function shown(page, label) {
  const item = generate(page).locator('.secret dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  return (await item.innerText()).trim();
}

test('User Credentials: an enabled user\'s email gives tokens, shown once and audited as the administrator\'s act', async () => {
  const app = await newApp(admin, { authenticator: 'user_credentials', permissions: ['SEND_MESSAGES'] });
  const user = await newUser(admin, app);
  const page = await appPage(app);
  try {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Application Users', exact: true }).click();
    const block = generate(page);
    await block.getByRole('heading', { name: 'Generate access token' }).waitFor();
    await block.getByLabel('Email').fill(user.email);
    assert.equal(await submit(page, block.getByRole('button', { name: 'Generate access token' })), 200, await page.locator('body').innerText());
    const access = await shown(page, 'Access token');
    assert.match(access, /^[A-Za-z0-9_-]{43}$/);
    assert.match(await shown(page, 'Refresh token'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await shown(page, 'Scope'), 'SEND_MESSAGES');
    const i = await introspect(app, access);
    assert.equal(i.active, true);
    assert.equal(i.username, user.email);
    const audit = await sql(`SELECT actor, details FROM audit_log WHERE action = 'app.token_generate' AND object_id = '${app.id}'`);
    assert.equal(audit.length, 1);
    assert.equal(audit[0][0], admin.email);
    assert.equal(JSON.parse(audit[0][1]).email, user.email);
    assert.ok(!audit[0][1].includes(access), 'never the token');
    // opened again, the page does not show it
    await page.goto(`${baseUrl}/admin/apps/${app.id}`);
    assert.ok(!(await page.content()).includes(access));
    // a person with a console role is refused
    const boss = await newUser(admin, app);
    await sql(`UPDATE users SET roles = 'AUDITOR' WHERE id = ${boss.id}`);
    await generate(page).getByLabel('Email').fill(boss.email);
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Generate access token' })), 400);
    await generate(page).getByText('console role').first().waitFor();
    assert.equal(await generate(page).locator('.secret').count(), 0);
  } finally {
    await page.close();
  }
});

test('Authorization Flow: email and password give a code, Submit exchanges it for tokens', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code', redirect_uris: ['https://app.example.org/cb'] });
  const user = await newUser(admin, app);
  const page = await appPage(app);
  try {
    const block = generate(page);
    assert.equal(await block.getByLabel('Code challenge').count(), 0, 'no PKCE fields for Authorization Flow');
    await block.getByLabel('Email').fill(user.email);
    await block.getByLabel('Password').fill('not the password at all');
    assert.equal(await submit(page, block.getByRole('button', { name: 'Get a code' })), 400);
    await generate(page).getByText('Wrong email or password').first().waitFor();
    await generate(page).getByLabel('Email').fill(user.email);
    await generate(page).getByLabel('Password').fill(user.password);
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Get a code' })), 200);
    const code = await shown(page, 'Code');
    assert.match(code, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await generate(page).getByLabel('Code', { exact: true }).inputValue(), code, 'the exchange form holds the code');
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Submit' })), 200);
    const access = await shown(page, 'Access token');
    assert.equal((await introspect(app, access)).active, true);
    // the code is single use
    await generate(page).getByLabel('Code', { exact: true }).fill(code);
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Submit' })), 400);
    assert.equal((await introspect(app, access)).active, false, 'its reuse revoked what it gave');
  } finally {
    await page.close();
  }
});

test('Authorization PKCE Flow: email, password, code challenge and method give a code, the verifier exchanges it; plain is refused', async () => {
  const app = await newApp(admin, { authenticator: 'authorization_code_pkce' });
  const user = await newUser(admin, app);
  const p = pkce();
  const page = await appPage(app);
  try {
    let block = generate(page);
    await block.getByLabel('Email').fill(user.email);
    await block.getByLabel('Password').fill(user.password);
    await block.getByLabel('Code challenge', { exact: true }).fill(p.verifier);
    await block.getByLabel('Code challenge method').selectOption('plain');
    assert.equal(await submit(page, block.getByRole('button', { name: 'Get a code' })), 400);
    await generate(page).getByText('plain is refused').first().waitFor();
    block = generate(page);
    await block.getByLabel('Password').fill(user.password);
    await block.getByLabel('Code challenge', { exact: true }).fill(p.challenge);
    await block.getByLabel('Code challenge method').selectOption('S256');
    assert.equal(await submit(page, block.getByRole('button', { name: 'Get a code' })), 200);
    const code = await shown(page, 'Code');
    await generate(page).getByLabel('Code verifier').fill(pkce().verifier);
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Submit' })), 400, 'a wrong verifier');
    await generate(page).getByText('code_verifier does not match').first().waitFor();
    await generate(page).getByLabel('Code', { exact: true }).fill(code);
    await generate(page).getByLabel('Code verifier').fill(p.verifier);
    assert.equal(await submit(page, generate(page).getByRole('button', { name: 'Submit' })), 200);
    assert.equal((await introspect(app, await shown(page, 'Access token'))).active, true);
  } finally {
    await page.close();
  }
});

test('the Config tab edits the lifespans, refusing a refresh lifespan not above the access one', async () => {
  const app = await newApp(admin, { authenticator: 'user_credentials' });
  const user = await newUser(admin, app);
  const page = await appPage(app);
  try {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Config', exact: true }).click();
    const config = page.locator('fieldset#config');
    await config.waitFor();
    await config.getByLabel('Access token lifespan (seconds)').fill('7200');
    await config.getByLabel('Refresh token lifespan (seconds)').fill('3600');
    assert.equal(await submit(page, page.getByRole('button', { name: 'Save application' })), 400);
    await page.locator('fieldset#config').getByText('refresh_token_ttl must be greater than access_token_ttl').waitFor();
    await page.locator('fieldset#config').getByLabel('Access token lifespan (seconds)').fill('1200');
    await page.locator('fieldset#config').getByLabel('Refresh token lifespan (seconds)').fill('2400');
    await page.locator('fieldset#config').getByLabel('Refresh token reuse grace (seconds)').fill('20');
    await submit(page, page.getByRole('button', { name: 'Save application' }));
    assert.equal(pathOf(page.url()), `/admin/apps/${app.id}`);
    assert.equal(await page.locator('fieldset#config').getByLabel('Access token lifespan (seconds)').inputValue(), '1200');
    const [[access, refresh, grace]] = await sql(`SELECT access_token_ttl, refresh_token_ttl, refresh_reuse_grace FROM apps WHERE id = ${app.id}`);
    assert.deepEqual([access, refresh, grace], ['1200', '2400', '20']);
    const audit = await sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'app.update' AND object_id = '${app.id}'`);
    assert.equal(audit[0][0], '1', 'the change is audited');
    await generate(page).getByLabel('Email').fill(user.email);
    await submit(page, generate(page).getByRole('button', { name: 'Generate access token' }));
    assert.equal(await shown(page, 'Expires in'), '1200', 'tokens take the new lifespan');
  } finally {
    await page.close();
  }
});
