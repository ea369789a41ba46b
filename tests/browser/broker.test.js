// broker.test.js - the connection broker's main task in a real browser
// (issue 11, done-when 1): a member signs in to their view, adds a
// connection of each visibility through a real provider (oidc-provider on
// loopback, consenting at once), sees them listed, renames one and
// disconnects it; the provider sees the revocation. The "Continue" step is
// a link: the console's form-action 'self' would stop a form from leaving
// for the provider.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { env, launch, clickAndLand, signIn } = require('./lib');
const b = require('../http/broker_lib');

const baseUrl = env('OSTIUM_URL');

let browser;
let oidc;

before(async () => {
  [browser, oidc] = await Promise.all([launch(), b.startUpstream('oidc')]);
});

after(async () => {
  if (browser) await browser.close();
  if (oidc) await oidc.stop();
});

const bodyText = (page) => page.locator('body').innerText();

test('a member adds a connection of each visibility, sees them listed, renames one and disconnects it, and the provider sees the revocation', async () => {
  const w = await b.world();
  const p = await b.provider(w, oidc);
  const m = await b.member(w.headers, w.company);
  const page = await browser.context.newPage();
  const appPath = `/admin/my/companies/${w.company.id}/apps/${w.app.id}`;

  await signIn(page, baseUrl, m.email, m.password);
  assert.match(await bodyText(page), /Your workspaces/);
  await clickAndLand(page, page.getByRole('link', { name: w.app.name }), appPath, 'the application');
  assert.match(await bodyText(page), /No connections yet/);

  // Just for me
  await clickAndLand(page, page.getByRole('link', { name: 'Add connection' }), `${appPath}/connect/${p.name}`, 'Add connection');
  assert.ok(await page.getByLabel('Just for me').isChecked(), 'just for me by default');
  await clickAndLand(page, page.getByRole('button', { name: 'Continue' }), `${appPath}/connect/${p.name}`, 'Continue');
  await clickAndLand(page, page.getByRole('link', { name: `Continue to ${p.display_name}` }), appPath, 'to the provider and back');
  assert.match(await bodyText(page), /The connection was added\./);
  const rows = page.locator('table.connections tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Person alice[\s\S]*Just for me/);

  // Workspace shared
  await clickAndLand(page, page.getByRole('link', { name: 'Add connection' }), `${appPath}/connect/${p.name}`, 'Add connection');
  await page.getByLabel('Workspace shared').check();
  await clickAndLand(page, page.getByRole('button', { name: 'Continue' }), `${appPath}/connect/${p.name}`, 'Continue');
  await clickAndLand(page, page.getByRole('link', { name: `Continue to ${p.display_name}` }), appPath, 'to the provider and back');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(1).innerText(), /Workspace shared/);

  // Rename the shared one
  const shared = rows.nth(1);
  await shared.getByLabel('New name').fill('Team account');
  await clickAndLand(page, shared.getByRole('button', { name: 'Rename' }), appPath, 'Rename');
  assert.match(await bodyText(page), /The connection was renamed\./);
  assert.match(await rows.nth(1).innerText(), /Team account/);

  // Disconnect it: the provider sees the revocation
  const [[id]] = await b.sql(`SELECT id FROM connections WHERE company_id = ${w.company.id} AND name = 'Team account'`);
  const token = (await b.appCall(w, `/api/v1/app/connections/${id}`)).json.access_token;
  assert.equal(await oidc.active(token), true);
  const revocations = (await oidc.stats()).revocations;
  await clickAndLand(page, rows.nth(1).getByRole('button', { name: 'Disconnect' }), appPath, 'Disconnect');
  assert.match(await bodyText(page), /The connection was removed and its tokens revoked\./);
  assert.equal(await rows.count(), 1);
  assert.doesNotMatch(await bodyText(page), /Team account/);
  assert.equal(await oidc.active(token), false, 'the provider no longer takes the token');
  assert.ok((await oidc.stats()).revocations > revocations, 'the provider saw the revocation');
  await page.close();
});
