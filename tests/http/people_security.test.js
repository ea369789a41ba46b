// people_security.test.js - who may change whom (issue 13, items 6 and 7):
// only a SUPER_ADMINISTRATOR changes another console role holder's
// password, email, state or existence; everyone changes their own password
// with the current one; a new password or email ends the person's other
// sessions, and a password an administrator sets revokes their tokens.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, assertNoSecrets, randomEmail, randomHex, signIn, postLogin, CookieJar,
  randomAddress, createToken, csrfField, pageText, locationPath,
} = require('./lib');
const { bearer, superAdmin, personWithRoles, auditOf } = require('./registry');

const password = () => `pw ${randomHex(10)} long enough`;

// A person with ROLES and a password, made by HEADERS: { id, email, password }.
async function personWithPassword(headers, roles) {
  const email = randomEmail('sec');
  const pw = password();
  const r = await request('/api/v1/users', { method: 'POST', headers, json: { email, roles, password: pw } });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, email, password: pw };
}

async function versionOf(headers, id) {
  const r = await request(`/api/v1/users/${id}`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.version;
}

// Does the console session of JAR (with CSRF) still open the API?
async function sessionWorks(jar, csrf) {
  const r = await request('/api/v1/me', { jar, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(r.status === 200 || r.status === 401, `${r.status} ${r.text}`);
  return r.status === 200;
}

async function tokenWorks(token) {
  const r = await request('/api/v1/me', { headers: bearer(token) });
  assert.ok(r.status === 200 || r.status === 401, `${r.status} ${r.text}`);
  return r.status === 200;
}

test('a USER_PROVISIONING administrator cannot take over another role holder: password, email, enabled and delete are 403 (item 6)', async () => {
  const admin = await superAdmin();
  const prov = await personWithRoles(admin.headers, ['USER_PROVISIONING']);
  for (const roles of [['AUDITOR'], ['USER_PROVISIONING']]) {
    const victim = await personWithPassword(admin.headers, roles);
    const what = roles[0];
    const tries = [
      [{ password: password() }, 'password'],
      [{ email: randomEmail('stolen') }, 'email'],
      [{ enabled: false }, 'enabled'],
    ];
    for (const [body, field] of tries) {
      const r = await request(`/api/v1/users/${victim.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 1, ...body } });
      assert.equal(assertError(r, 403, 'forbidden', `${what}: ${field}`).field, field);
    }
    assertError(await request(`/api/v1/users/${victim.id}`, { method: 'DELETE', headers: prov.headers }), 403, 'forbidden',
      `${what}: delete`);
    assert.equal(await versionOf(admin.headers, victim.id), 1, `${what}: nothing changed`);
    // The victim still signs in with their own password, and nobody else's works.
    await signIn(victim.email, victim.password);

    // Their names are still USER_PROVISIONING's to change, and a console
    // form that sends the unchanged email and state back is no change of them.
    const names = await request(`/api/v1/users/${victim.id}`, {
      method: 'PATCH', headers: prov.headers, json: { version: 1, first_name: 'Renamed', email: victim.email, enabled: true },
    });
    assert.equal(names.status, 200, `${what}: names: ${names.text}`);
    // A super administrator may reset them.
    const reset = await request(`/api/v1/users/${victim.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 2, password: password() } });
    assert.equal(reset.status, 200, reset.text);
  }
  // A person without a console role is USER_PROVISIONING's to provision, as before.
  const plain = await personWithPassword(admin.headers, []);
  const set = await request(`/api/v1/users/${plain.id}`, { method: 'PATCH', headers: prov.headers, json: { version: 1, password: password(), enabled: false } });
  assert.equal(set.status, 200, set.text);
  const gone = await request(`/api/v1/users/${plain.id}`, { method: 'DELETE', headers: prov.headers });
  assert.equal(gone.status, 204, gone.text);
});

test('everyone changes their own password only with the current one: missing 400, wrong 403, right 200; an AUDITOR changes nothing else (item 6)', async () => {
  const admin = await superAdmin();
  const me = await personWithPassword(admin.headers, ['AUDITOR']);
  const headers = bearer(await createToken(me.email));
  const other = await personWithPassword(admin.headers, []);
  const next = password();
  const url = `/api/v1/users/${me.id}`;

  const missing = await request(url, { method: 'PATCH', headers, json: { version: 1, password: next } });
  assert.equal(assertError(missing, 400, 'invalid_request', 'no current password').field, 'current_password');
  const wrong = await request(url, { method: 'PATCH', headers, json: { version: 1, password: next, current_password: 'not my password' } });
  assert.equal(assertError(wrong, 403, 'forbidden', 'a wrong current password').field, 'current_password');
  assertNoSecrets(wrong, [next, me.password], 'the refusal');
  assert.equal(await versionOf(admin.headers, me.id), 1, 'nothing changed');

  // An AUDITOR changes nothing but their own password.
  for (const [path, json] of [[url, { version: 1, first_name: 'Me' }], [url, { version: 1, enabled: false }],
    [`/api/v1/users/${other.id}`, { version: 1, password: password() }],
    [`/api/v1/users/${other.id}`, { version: 1, first_name: 'You' }]]) {
    assertError(await request(path, { method: 'PATCH', headers, json }), 403, 'forbidden', `${path} ${JSON.stringify(json)}`);
  }

  const ok = await request(url, { method: 'PATCH', headers, json: { version: 1, password: next, current_password: me.password } });
  assert.equal(ok.status, 200, ok.text);
  assertNoSecrets(ok, [next, me.password], 'the answer');
  assert.equal((await postLogin(new CookieJar(), me.email, me.password, randomAddress())).status, 401, 'the old password is gone');
  await signIn(me.email, next);
  const audit = await auditOf(admin.headers, 'user', me.id);
  const update = audit.find((e) => e.action === 'user.update');
  assert.equal(update.actor_id, me.id);
  assert.equal(update.details.password_changed, true);
  const text = JSON.stringify(audit);
  assert.ok(!text.includes(next) && !text.includes(me.password) && !/current_password/.test(text), 'no password in the audit log');

  // A super administrator too needs their current password for their own.
  const self = await request(`/api/v1/users/${admin.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 1, password: password() } });
  assert.equal(assertError(self, 400, 'invalid_request', 'own password, no current one').field, 'current_password');
});

test('a password reset by a super administrator ends every session of the person and revokes their tokens (item 7)', async () => {
  const admin = await superAdmin();
  const person = await personWithPassword(admin.headers, ['AUDITOR']);
  const a = await signIn(person.email, person.password);
  const b = await signIn(person.email, person.password);
  const token = await createToken(person.email);
  assert.ok(await sessionWorks(a.jar, a.csrf) && await sessionWorks(b.jar, b.csrf) && await tokenWorks(token), 'all work before');

  const reset = password();
  const r = await request(`/api/v1/users/${person.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 1, password: reset } });
  assert.equal(r.status, 200, r.text);
  assert.equal(await sessionWorks(a.jar, a.csrf), false, 'the first session ended');
  assert.equal(await sessionWorks(b.jar, b.csrf), false, 'the second session ended');
  assert.equal(await tokenWorks(token), false, 'the token was revoked');
  const console = await request('/admin/', { jar: a.jar });
  assert.equal(console.status, 303, 'the console sends the old session to sign in');
  const entry = (await auditOf(admin.headers, 'user', person.id)).find((e) => e.action === 'user.update');
  assert.equal(entry.details.sessions_ended, 2);
  assert.equal(entry.details.tokens_revoked, 1);
  assert.ok(await tokenWorks(admin.headers.Authorization.slice(7)), "the administrator's own token works");

  // A new email set by an administrator ends the sessions too.
  const again = await signIn(person.email, reset);
  const moved = await request(`/api/v1/users/${person.id}`, { method: 'PATCH', headers: admin.headers, json: { version: 2, email: randomEmail('moved') } });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(await sessionWorks(again.jar, again.csrf), false, 'a new email ends the session');
});

test('a person who changes their own password keeps the session they did it in; their other sessions end and their tokens stay (item 7)', async () => {
  const admin = await superAdmin();
  const person = await personWithPassword(admin.headers, ['AUDITOR']);
  const here = await signIn(person.email, person.password);
  const elsewhere = await signIn(person.email, person.password);
  const token = await createToken(person.email);
  const next = password();
  const r = await request(`/api/v1/users/${person.id}`, {
    method: 'PATCH', jar: here.jar, headers: { 'X-CSRF-Token': here.csrf },
    json: { version: 1, password: next, current_password: person.password },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(await sessionWorks(here.jar, here.csrf), true, 'the session it was done in stays');
  assert.equal(await sessionWorks(elsewhere.jar, elsewhere.csrf), false, 'the other session ended');
  assert.equal(await tokenWorks(token), true, 'their own tokens stay');
  const entry = (await auditOf(admin.headers, 'user', person.id)).find((e) => e.action === 'user.update');
  assert.equal(entry.details.sessions_ended, 1);
  assert.equal(entry.details.tokens_revoked, undefined);

  // Changed with a token (no session of its own): every session ends.
  const third = await signIn(person.email, next);
  const byToken = await request(`/api/v1/users/${person.id}`, {
    method: 'PATCH', headers: bearer(token), json: { version: 2, password: password(), current_password: next },
  });
  assert.equal(byToken.status, 200, byToken.text);
  assert.equal(await sessionWorks(here.jar, here.csrf), false);
  assert.equal(await sessionWorks(third.jar, third.csrf), false);
  assert.equal(await tokenWorks(token), true);
});

test("the console's own-password form asks for the current password and keeps the session it was sent from (items 6 and 7)", async () => {
  const admin = await superAdmin();
  const person = await personWithPassword(admin.headers, ['AUDITOR']);
  const here = await signIn(person.email, person.password);
  const elsewhere = await signIn(person.email, person.password);
  const page = await request(`/admin/people/${person.id}`, { jar: here.jar });
  assert.equal(page.status, 200);
  assert.match(pageText(page.text), /Your password/);
  assert.match(page.text, /id="password-current_password" name="current_password"/);
  assert.match(page.text, new RegExp(`action="/admin/people/${person.id}/password"`));
  // Nobody else's page offers it.
  const others = await request(`/admin/people/${admin.id}`, { jar: here.jar });
  assert.ok(!/name="current_password"/.test(others.text), "not on someone else's page");

  const next = password();
  const form = { csrf: csrfField(page.text), version: '1', password: next, current_password: 'wrong' };
  const wrong = await request(`/admin/people/${person.id}/password`, { method: 'POST', jar: here.jar, form });
  assert.equal(wrong.status, 403, pageText(wrong.text).slice(0, 300));
  assertNoSecrets(wrong, [next], 'the refusal page');
  const ok = await request(`/admin/people/${person.id}/password`, { method: 'POST', jar: here.jar, form: { ...form, current_password: person.password } });
  assert.equal(ok.status, 303, pageText(ok.text).slice(0, 300));
  assert.equal(locationPath(ok), `/admin/people/${person.id}?saved=1`);
  assert.equal(await sessionWorks(here.jar, here.csrf), true);
  assert.equal(await sessionWorks(elsewhere.jar, elsewhere.csrf), false);
  await signIn(person.email, next);
});
