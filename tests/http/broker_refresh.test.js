// broker_refresh.test.js - always-fresh tokens (issue 11): a token that has
// expired (or soon will) is refreshed before it is returned, its lifetime
// taken from expires_in; an answer without a refresh token keeps the old
// one; a refused refresh sets auth_failed_at (the row still comes, without
// a token) and the console offers Reconnect, which keeps the connection's
// id; a transient failure is retried only after a cooldown; invalid_client
// is the provider's fault, not the connection's; a caller waiting on
// another's lease gets 503 with Retry-After, not a provider error.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { request, assertError, pageText, waitFor } = require('./lib');
const b = require('./broker_lib');

let oidc;
let stub;
before(async () => { [oidc, stub] = await Promise.all([b.startUpstream('oidc'), b.startUpstream('stub')]); });
after(async () => { await Promise.all([oidc.stop(), stub.stop()]); });

const { expired } = b;

// A member's workspace connection to UPSTREAM made while access tokens live
// SECONDS: { w, p, m, s, id }.
async function shortLived(upstream, seconds = 1, providerOptions = {}) {
  const w = await b.world();
  const p = await b.provider(w, upstream, providerOptions);
  const m = await b.member(w.headers, w.company);
  const s = await b.signInAs(m);
  await upstream.set(upstream.issuer ? { accessTtl: seconds } : { expiresIn: seconds });
  const id = b.connectedId(await b.connect(w, s, p.name, { visibility: 'workspace' }));
  await upstream.set(upstream.issuer ? { accessTtl: 3600 } : { expiresIn: 3600 });
  return { w, p, m, s, id };
}

test('an expired token is refreshed before it is returned, its lifetime from expires_in, and an answer without a refresh token keeps the old one', async () => {
  const { w, id } = await shortLived(stub);
  const first = (await b.appCall(w, `/api/v1/app/connections/${id}`)).json;
  await expired(id);
  await stub.set({ rotate: false }); // answers without a refresh_token from now on
  try {
    const before = (await stub.stats()).refreshes;
    const r = await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.json.access_token, first.access_token, 'a new token');
    assert.equal(await stub.active(r.json.access_token), true);
    assert.equal((await stub.stats()).refreshes, before + 1);
    const [[left]] = await b.sql(`SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), expires_at) FROM connections WHERE id = ${id}`);
    assert.ok(Number(left) > 3000 && Number(left) <= 3600, `the lifetime is expires_in: ${left}`);
    const again = await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal(again.json.access_token, r.json.access_token, 'a fresh token is not refreshed');
    assert.equal((await stub.stats()).refreshes, before + 1);
    // once more: only the old refresh token can do it
    await stub.set({ expiresIn: 1 });
    const short = await b.sql(`UPDATE connections SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ${id}`);
    assert.ok(short);
    const third = await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal(third.json.status, 'ok', third.text);
    assert.notEqual(third.json.access_token, r.json.access_token);
    assert.equal((await stub.stats()).refreshes, before + 2, 'the kept refresh token worked');
  } finally {
    await stub.set({ rotate: true, expiresIn: 3600 });
  }
});

test('auth_failed_at is set after the upstream refuses the refresh: the row comes without a token, the console shows Reconnect, and Reconnect keeps the id', async () => {
  const { w, p, s, id } = await shortLived(oidc);
  await expired(id);
  await oidc.revokeGrants(); // the refresh token is refused from now on: invalid_grant
  const r = await b.appCall(w, `/api/v1/app/connections/${id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'auth_failed');
  assert.equal(r.json.access_token, null, 'no usable token');
  assert.match(r.json.auth_failed_at, /^\d{4}-\d\d-\d\dT/);
  const refreshes = (await oidc.stats()).grantErrors.length;
  const again = await b.appCall(w, `/api/v1/app/connections/${id}`);
  assert.equal(again.json.status, 'auth_failed');
  assert.equal((await oidc.stats()).grantErrors.length, refreshes, 'a failed connection does not call the provider again');
  const [[action]] = await b.sql(`SELECT action FROM audit_log WHERE object_type = 'connection' AND object_id = '${id}' AND action = 'connection.auth_failed'`);
  assert.equal(action, 'connection.auth_failed');

  const page = await request(`/admin/my/companies/${w.company.id}/apps/${w.app.id}`, { jar: s.jar });
  assert.match(pageText(page.text), /needs reconnecting Reconnect/);
  assert.match(page.text, new RegExp(`/connect/${p.name}\\?reconnect=${id}"`));

  const back = await b.connect(w, s, p.name, { reconnect: id });
  assert.equal(b.connectedId(back), id, 'the same connection');
  assert.match(back.headers.get('location'), /reconnected=/);
  const ok = await b.appCall(w, `/api/v1/app/connections/${id}`);
  assert.equal(ok.json.status, 'ok');
  assert.equal(ok.json.auth_failed_at, null);
  assert.equal(await oidc.active(ok.json.access_token), true);
  assert.equal(ok.json.visibility, 'workspace', 'a reconnect keeps the visibility');
  const [[count]] = await b.sql(`SELECT COUNT(*) FROM connections WHERE company_id = ${w.company.id}`);
  assert.equal(count, '1', 'no second connection');
});

test('a transient failure is retried only after a cooldown, so a broken connection cannot hammer the provider', async () => {
  const { w, id } = await shortLived(oidc);
  await expired(id);
  await oidc.set({ tokenStatus: 503 });
  try {
    const before = (await oidc.stats()).refusedTokenRequests;
    for (let i = 0; i < 8; i++) {
      const r = await b.appCall(w, `/api/v1/app/connections/${id}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'transient_failure');
      assert.equal(r.json.access_token, null, 'the token has expired');
      assert.equal(r.json.auth_failed_at, null, 'not an auth failure');
    }
    assert.equal((await oidc.stats()).refusedTokenRequests, before + 1, 'one attempt for eight calls');
    const cooled = async () => (await b.sql(`SELECT retry_at <= UTC_TIMESTAMP(3) FROM connections WHERE id = ${id}`))[0][0] === '1';
    assert.ok(await waitFor(cooled, 20_000, 200));
    await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal((await oidc.stats()).refusedTokenRequests, before + 2, 'one more after the cooldown');
    const [[failures, wait]] = await b.sql(`SELECT failures, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3), retry_at) FROM connections WHERE id = ${id}`);
    assert.equal(failures, '2');
    assert.ok(Number(wait) > 5, `the cooldown grows: ${wait}`);
    await oidc.set({ tokenStatus: 0 });
    assert.ok(await waitFor(cooled, 30_000, 200));
    const ok = await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal(ok.json.status, 'ok', ok.text);
    assert.equal(await oidc.active(ok.json.access_token), true);
  } finally {
    await oidc.set({ tokenStatus: 0 });
  }
});

test('invalid_client at refresh is shown on the provider as its configuration at fault, not as the connection needing a reconnect', async () => {
  const { w, p, id } = await shortLived(stub);
  await expired(id);
  await stub.set({ mode: 'error', status: 401, error: 'invalid_client' });
  try {
    const r = await b.appCall(w, `/api/v1/app/connections/${id}`);
    assert.equal(r.json.status, 'transient_failure', r.text);
    assert.equal(r.json.auth_failed_at, null);
  } finally {
    await stub.set({ mode: 'ok' });
  }
  const prov = await b.api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers/${p.name}`);
  assert.match(prov.json.config_error, /invalid_client/);
  assert.match(prov.json.config_error_at, /^\d{4}-/);
  const mended = await b.api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers/${p.name}`, { method: 'PATCH',
    json: { version: prov.json.version, display_name: 'Mended' } });
  assert.equal(mended.json.config_error, null, 'a change of the provider clears it');
});

test('a caller waiting on another\'s refresh lease is bounded in time: 503 with Retry-After, not a provider error', async () => {
  const { w, id } = await shortLived(stub);
  await expired(id);
  const lease = crypto.randomBytes(16).toString('hex');
  await b.sql(`UPDATE connections SET lease_id = UNHEX('${lease}'), lease_owner = 'elsewhere:1', lease_until = UTC_TIMESTAMP(3) + INTERVAL 60 SECOND WHERE id = ${id}`);
  const before = (await stub.stats()).tokenRequests;
  const r = await b.appCall(w, `/api/v1/app/connections/${id}`);
  assertError(r, 503, 'unavailable', 'while the lease is held');
  assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.match(r.json.error.message, /refreshing/);
  assert.equal((await stub.stats()).tokenRequests, before, 'the waiter called no provider');
  const [[status, failed]] = await b.sql(`SELECT status, auth_failed_at FROM connections WHERE id = ${id}`);
  assert.deepEqual([status, failed], ['ok', 'NULL'], 'and marked nothing');
  await b.sql(`UPDATE connections SET lease_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ${id}`);
  const ok = await b.appCall(w, `/api/v1/app/connections/${id}`);
  assert.equal(ok.json.status, 'ok', ok.text);
  assert.equal(await stub.active(ok.json.access_token), true, 'an expired lease is taken over');
});
