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
