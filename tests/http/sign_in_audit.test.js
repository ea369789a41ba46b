// sign_in_audit.test.js - what issue 13 item 14 found missing: signing in,
// signing out and failed sign-ins in the audit log (actor, address, never
// the password), and personal tokens that expire (expires_in_days or
// expires_at, shown in the list, refused once past).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request, assertError, sql, randomEmail, randomHex, randomAddress, createAdmin, signIn, postLogin,
  CookieJar, pageText, csrfField,
} = require('./lib');
const { bearer, superAdmin } = require('./registry');

// The audit entries of ACTION about person ID (object_id "0": nobody), oldest first.
async function entries(headers, action, id) {
  const r = await request(`/api/v1/audit?object_type=user&object_id=${id}&action=${action}&limit=200`, { headers });
  assert.equal(r.status, 200, r.text);
  return r.json.items.reverse();
}

test('signing in, signing out and failed sign-ins are audited with the actor and the address, never the password (item 14)', async () => {
  const reader = await superAdmin();
  const { email, password } = await createAdmin();
  const [[id]] = await sql(`SELECT id FROM users WHERE email = '${email}'`);
  const address = randomAddress();

  const wrongPw = `wrong ${randomHex(8)}`;
  assert.equal((await postLogin(new CookieJar(), email, wrongPw, address)).status, 401);
  const { jar, csrf } = await signIn(email, password, address);
  const out = await request('/admin/logout', { method: 'POST', jar, address, form: { csrf } });
  assert.equal(out.status, 303, out.text.slice(0, 200));

  const failed = await entries(reader.headers, 'user.sign_in_failed', id);
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.equal(failed[0].actor, email, 'the email given');
  assert.equal(failed[0].actor_id, null, 'nobody was authenticated');
  assert.equal(failed[0].address, address);
  assert.equal(failed[0].details.reason, 'wrong email or password');
  const [signedIn] = await entries(reader.headers, 'user.sign_in', id);
  assert.ok(signedIn, 'the sign-in is audited');
  assert.equal(signedIn.actor_id, Number(id));
  assert.equal(signedIn.actor, email);
  assert.equal(signedIn.address, address);
  const [signedOut] = await entries(reader.headers, 'user.sign_out', id);
  assert.ok(signedOut, 'the sign-out is audited');
  assert.equal(signedOut.actor_id, Number(id));
  assert.equal(signedOut.address, address);

  // An email that names nobody, and a throttled attempt, are audited too.
  const nobody = randomEmail('nobody');
  const other = randomAddress();
  assert.equal((await postLogin(new CookieJar(), nobody, wrongPw, other)).status, 401);
  const unknown = (await entries(reader.headers, 'user.sign_in_failed', 0)).filter((e) => e.actor === nobody);
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].address, other);
  const all = await request(`/api/v1/audit?action=user.sign_in_failed&limit=200`, { headers: reader.headers });
  assert.ok(!all.text.includes(wrongPw) && !all.text.includes(password), 'never a password');
  const [[stored]] = await sql(`SELECT COUNT(*) FROM audit_log WHERE details LIKE '%${wrongPw.split(' ')[1]}%' OR actor LIKE '%${wrongPw.split(' ')[1]}%'`);
  assert.equal(stored, '0', 'not in the database either');
});

test('personal tokens take expires_in_days or expires_at, show it in the list, and are refused once expired (item 14)', async () => {
  const { headers, email, password } = await superAdmin();
  const days = await request('/api/v1/tokens', { method: 'POST', headers, json: { name: `days-${randomHex(3)}`, expires_in_days: 30 } });
  assert.equal(days.status, 201, days.text);
  const ahead = Date.parse(days.json.expires_at) - Date.now();
  assert.ok(Math.abs(ahead - 30 * 86400_000) < 300_000, `about 30 days ahead: ${days.json.expires_at}`);
  const when = new Date(Date.now() + 7 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const at = await request('/api/v1/tokens', { method: 'POST', headers, json: { name: `at-${randomHex(3)}`, expires_at: when } });
  assert.equal(at.status, 201, at.text);
  assert.equal(at.json.expires_at, when);
  const never = await request('/api/v1/tokens', { method: 'POST', headers, json: { name: `never-${randomHex(3)}` } });
  assert.equal(never.status, 201, never.text);
  assert.equal(never.json.expires_at, null, 'no expiry unless asked');

  const past = new Date(Date.now() - 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const [json, field] of [
    [{ expires_in_days: 30, expires_at: when }, 'expires_at'],
    [{ expires_in_days: 0 }, 'expires_in_days'],
    [{ expires_in_days: 3651 }, 'expires_in_days'],
    [{ expires_in_days: '30' }, 'expires_in_days'],
    [{ expires_at: past }, 'expires_at'],
    [{ expires_at: '2030-02-30T00:00:00Z' }, 'expires_at'],
    [{ expires_at: '2030-01-01 00:00:00' }, 'expires_at'],
    [{ expires_at: '2999-01-01T00:00:00Z' }, 'expires_at'],
  ]) {
    const r = await request('/api/v1/tokens', { method: 'POST', headers, json: { name: 'bad', ...json } });
    assert.equal(assertError(r, 400, 'invalid_request', JSON.stringify(json)).field, field, JSON.stringify(json));
  }

  let list = (await request('/api/v1/tokens', { headers })).json.tokens;
  const row = (id) => list.find((t) => t.id === id);
  assert.equal(row(days.json.id).expires_at, days.json.expires_at);
  assert.equal(row(at.json.id).expires_at, when);
  assert.equal(row(never.json.id).expires_at, null);
  assert.equal(row(at.json.id).state, 'active');
  assert.equal((await request('/api/v1/me', { headers: bearer(at.json.token) })).status, 200, 'works before it expires');

  await sql(`UPDATE api_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = ${Number(at.json.id)}`);
  assertError(await request('/api/v1/me', { headers: bearer(at.json.token) }), 401, 'unauthorized', 'an expired token');
  list = (await request('/api/v1/tokens', { headers })).json.tokens;
  assert.equal(row(at.json.id).state, 'expired');
  assert.equal(row(days.json.id).state, 'active');
  const audit = await request(`/api/v1/audit?object_type=token&object_id=${days.json.id}`, { headers });
  assert.equal(audit.json.items[0].details.expires_at, days.json.expires_at, 'the expiry is audited');

  // The console offers 30, 90, 365 days or none, and shows the expiry.
  const { jar, csrf } = await signIn(email, password);
  const page = await request('/admin/tokens', { jar });
  const options = [...page.text.matchAll(/<option value="(\d*)"/g)].map((m) => m[1]);
  assert.deepEqual(options, ['30', '90', '365', '']);
  const made = await request('/admin/tokens', { method: 'POST', jar, form: { csrf: csrfField(page.text), name: 'console-365', expires_in_days: '365' } });
  assert.equal(made.status, 201, pageText(made.text).slice(0, 300));
  assert.match(pageText(made.text), /It stops working at \d{4}-\d\d-\d\dT/);
  const listed = await request('/admin/tokens', { jar });
  assert.match(pageText(listed.text), /expired/, 'the expired token is shown so');
  assert.match(pageText(listed.text), /never/, 'a token without expiry says never');
  assert.equal(csrf, csrfField(listed.text));
});
