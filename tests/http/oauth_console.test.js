// oauth_console.test.js - who may use the console's "Generate access
// token" (issue 10): the role that may manage an application's users, not
// an auditor; a refusal shows the form again, and nothing is issued.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { request, signIn, createAdmin, sql, pageText } = require('./lib');
const { newAdmin, newApp, newUser, count } = require('./oauth_lib');

test('an auditor may not generate tokens for a user; a user provisioner may', async () => {
  const owner = await newAdmin();
  const app = await newApp(owner, { authenticator: 'user_credentials' });
  const user = await newUser(owner, app);
  for (const [role, status] of [['AUDITOR', 403], ['USER_PROVISIONING', 200]]) {
    const a = await createAdmin();
    await sql(`UPDATE users SET roles = '${role}' WHERE email = '${a.email}'`);
    const s = await signIn(a.email, a.password);
    const r = await request(`/admin/apps/${app.id}/generate-token`, { method: 'POST', jar: s.jar, form: { csrf: s.csrf, email: user.email } });
    assert.equal(r.status, status, `${role}: ${pageText(r.text).slice(0, 200)}`);
  }
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id = ${app.id} AND kind = 'access'`), 1);
});

test('a step that is not the application\'s authenticator\'s, or an unknown email, is refused on the page', async () => {
  const owner = await newAdmin();
  const s = await signIn(owner.email, owner.password);
  const app = await newApp(owner, { authenticator: 'authorization_code_pkce' });
  let r = await request(`/admin/apps/${app.id}/generate-token`, { method: 'POST', jar: s.jar, form: { csrf: s.csrf, email: 'nobody@example.org' } });
  assert.equal(r.status, 409);
  assert.match(pageText(r.text), /not for the application's authenticator/);
  const uc = await newApp(owner, { authenticator: 'user_credentials' });
  r = await request(`/admin/apps/${uc.id}/generate-token`, { method: 'POST', jar: s.jar, form: { csrf: s.csrf, email: 'nobody-at-all@example.org' } });
  assert.equal(r.status, 400);
  assert.match(pageText(r.text), /No person has this email/);
  r = await request(`/admin/apps/${uc.id}/generate-code`, { method: 'POST', jar: s.jar, form: { csrf: s.csrf, email: 'a@example.org', password: 'x' } });
  assert.equal(r.status, 409);
  assert.equal(await count(`SELECT COUNT(*) FROM oauth_tokens WHERE app_id IN (${app.id}, ${uc.id})`), 0);
});
