// apps_grid.test.js - the applications grid (/admin/apps) as seed 004 uses
// it (issue 13, item 4): each row edits (a link to the application's page)
// and deletes (a form that asks to confirm first, on the grid itself, with
// no JavaScript needed); the refusal to delete an application with users
// is shown on the grid; the grid names the authenticator "User
// Credentials", "Authorization Flow", "Authorization PKCE Flow". Saves a
// screenshot of the grid asking to confirm (OSTIUM_TEST_DIR/apps-grid.png).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launch, clickAndLand, submit, signIn } = require('./lib');
const { request, createAdmin, createToken, randomHex } = require('../http/lib');

const baseUrl = env('OSTIUM_URL');
const email = env('OSTIUM_ADMIN_EMAIL');
const password = env('OSTIUM_ADMIN_PASSWORD');

let browser;
let headers;

before(async () => {
  const a = await createAdmin();
  headers = { Authorization: `Bearer ${await createToken(a.email)}` };
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

// A new application through the API; resolves with its row.
async function newApp(fields) {
  const r = await request('/api/v1/apps', { method: 'POST', headers, json: fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const appStatus = async (app) => (await request(`/api/v1/apps/${app.id}`, { headers })).status;

test('the applications grid edits, deletes after a confirmation, shows why an application with users stays, and names the authenticators', async () => {
  const tag = `grid-${randomHex(5)}`;
  const pkce = await newApp({ name: `${tag} pkce` });
  const creds = await newApp({ name: `${tag} creds`, authenticator: 'user_credentials' });
  const code = await newApp({ name: `${tag} code`, authenticator: 'authorization_code' });
  const used = await newApp({ name: `${tag} used` });
  const user = await request(`/api/v1/apps/${used.id}/users`, {
    method: 'POST', headers,
    json: { email: `${tag}@example.org`, first_name: 'Ada', password: 'correct horse battery', password_confirmation: 'correct horse battery' },
  });
  assert.equal(user.status, 201, user.text);

  const page = await browser.context.newPage();
  const gridUrl = `${baseUrl}/admin/apps?name=${encodeURIComponent(tag)}`;
  const row = (app) => page.locator('tbody tr', { hasText: app.name });
  const bodyText = () => page.locator('body').innerText();
  try {
    await signIn(page, baseUrl, email, password);
    await page.goto(gridUrl);

    // The authenticator by the names people know, never the API value.
    assert.equal(await row(creds).locator('td').nth(3).innerText(), 'User Credentials');
    assert.equal(await row(code).locator('td').nth(3).innerText(), 'Authorization Flow');
    assert.equal(await row(pkce).locator('td').nth(3).innerText(), 'Authorization PKCE Flow');
    const table = await page.locator('table').innerText();
    for (const raw of ['user_credentials', 'authorization_code']) assert.ok(!table.includes(raw), `no "${raw}" in the grid`);

    // Edit: the row's link opens the application's page, whose form names the authenticator the same way.
    await clickAndLand(page, row(creds).getByRole('link', { name: `Edit ${creds.name}` }), `/admin/apps/${creds.id}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Application ${creds.name}`);
    assert.equal(await page.locator('#f-authenticator option:checked').innerText(), 'User Credentials');

    // Delete asks first: the grid again with the question, the application still there.
    await page.goto(gridUrl);
    let status = await submit(page, row(code).getByRole('button', { name: `Delete ${code.name}` }));
    assert.equal(status, 200, await bodyText());
    const ask = page.locator('form.confirm');
    await ask.getByText(`Delete the application "${code.name}"? This cannot be undone.`).waitFor();
    assert.equal(await appStatus(code), 200, 'not deleted before the confirmation');
    assert.equal(await row(code).count(), 1, 'the grid, as it was filtered, is shown under the question');
    await page.screenshot({ path: path.join(env('OSTIUM_TEST_DIR'), 'apps-grid.png'), fullPage: true });
    // Cancel leaves it be.
    await clickAndLand(page, ask.getByRole('link', { name: 'Cancel' }), '/admin/apps');
    assert.equal(await page.locator('form.confirm').count(), 0);
    assert.equal(await appStatus(code), 200);

    // Confirmed, it goes.
    await page.goto(gridUrl);
    await submit(page, row(code).getByRole('button', { name: `Delete ${code.name}` }));
    await clickAndLand(page, page.locator('form.confirm').getByRole('button', { name: `Yes, delete ${code.name}` }), '/admin/apps');
    await page.getByText('The application was deleted.').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('name'), tag, 'the grid comes back as it was filtered');
    assert.equal(await appStatus(code), 404);
    assert.equal(await row(code).count(), 0);
    assert.equal(await row(creds).count(), 1, 'only that one');

    // An application with users stays, and the grid says why.
    await submit(page, row(used).getByRole('button', { name: `Delete ${used.name}` }));
    status = await submit(page, page.locator('form.confirm').getByRole('button', { name: `Yes, delete ${used.name}` }));
    assert.equal(status, 409, await bodyText());
    const refusal = page.getByRole('alert');
    await refusal.filter({ hasText: `The application "${used.name}" was not deleted` }).waitFor();
    assert.match(await refusal.innerText(), /still has application users/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Applications', 'on the grid');
    assert.equal(await row(used).count(), 1, 'the grid, as it was filtered, is shown with the refusal');
    assert.equal(await row(code).count(), 0);
    assert.equal(await appStatus(used), 200, 'still there');
  } finally {
    await page.close();
  }
});
