// events.test.js - events to applications, received on loopback and
// verified with the independent `standardwebhooks` library: every event
// type the registry causes, a tampered body and a stale timestamp refused
// by that library, the signing secret shown once and rotated with a grace
// period (both signatures), and the API that lists, resends and pings;
// run by scripts/test (the test servers' dispatchers deliver).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, randomHex, randomEmail, sql, waitFor, parseXml } = require('./lib');
const { Receiver, verify, adminHeaders, createApp, listEvents, getEvent, ping } = require('./events_lib');

let receiver;
let headers;

before(async () => {
  receiver = await new Receiver().start();
  headers = await adminHeaders();
});

after(async () => {
  await receiver.stop();
});

// The deliveries of APP's events of TYPE, waiting for COUNT of them.
async function deliveriesOf(appId, type, count = 1) {
  const got = await waitFor(() => {
    const list = receiver.deliveries.filter((d) => {
      const body = JSON.parse(d.body);
      return body.type === type && d.path === `/hook/${appId}`;
    });
    return list.length >= count && list;
  }, 30_000, 50);
  assert.ok(got, `no ${type} delivery for application ${appId}`);
  return got;
}

test('every event type the registry causes arrives signed, and the library verifies each (an event lost or unsigned fails)', async () => {
  const app = await createApp(headers, null);
  assert.match(app.events_secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'the create answer shows the events secret once');
  const got = await request(`/api/v1/apps/${app.id}`, { headers });
  assert.equal(got.json.events_secret, undefined, 'the secret is never read back');

  // no events URL yet: nothing is written to the outbox
  const company = (await request('/api/v1/companies', { method: 'POST', headers,
    json: { name: 'Events Co', slug: `events-${randomHex(4)}` } })).json;
  assert.equal((await listEvents(headers, app.id)).length, 0, 'no events without an events URL');

  // the events URL set: app.updated
  const renamed = `renamed-${randomHex(4)}`;
  let r = await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers,
    json: { events_url: receiver.url(`/hook/${app.id}`), name: renamed, version: got.json.version } });
  assert.equal(r.status, 200, r.text);
  r = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'POST', headers });
  assert.equal(r.status, 201, r.text);
  const email = randomEmail('events');
  r = await request(`/api/v1/apps/${app.id}/users`, { method: 'POST', headers,
    json: { email, first_name: 'Eve', last_name: 'Vents', password: 'a long password 1', password_confirmation: 'a long password 1' } });
  assert.equal(r.status, 201, r.text);
  const user = r.json;
  r = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'PUT', headers,
    json: { enabled: false, version: user.version } });
  assert.equal(r.status, 200, r.text);
  r = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'PUT', headers,
    json: { enabled: true, version: r.json.version } });
  assert.equal(r.status, 200, r.text);
  r = await request(`/api/v1/apps/${app.id}/users/${user.id}`, { method: 'DELETE', headers });
  assert.equal(r.status, 204, r.text);
  r = await request(`/api/v1/apps/${app.id}/server-variables`, { method: 'POST', headers,
    json: { name: 'API_TOKEN', is_secret: true } });
  assert.equal(r.status, 201, r.text);
  const secretValue = `value-${randomHex(12)}`;
  r = await request(`/api/v1/apps/${app.id}/server-variables/API_TOKEN`, { method: 'PUT', headers,
    json: { value: secretValue, version: r.json.version } });
  assert.equal(r.status, 200, r.text);
  r = await request(`/api/v1/companies/${company.id}/apps/${app.id}`, { method: 'DELETE', headers });
  assert.equal(r.status, 204, r.text);
  await ping(headers, app.id);

  const types = ['app.updated', 'app.installed', 'app_user.added', 'app_user.disabled',
    'app_user.enabled', 'app_user.removed', 'server_variable.set', 'app.uninstalled', 'ping'];
  const seen = {};
  for (const type of types) {
    const [d] = await deliveriesOf(app.id, type);
    const body = verify(app.events_secret, d);
    assert.equal(body.type, type);
    assert.equal(body.id, d.headers['webhook-id'], 'the body and the header carry one id');
    assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(typeof body.data, 'object');
    assert.match(d.headers['content-type'], /^application\/json/);
    seen[type] = body;
  }
  assert.equal(seen['app.installed'].company.id, company.id, 'an installation names its company');
  assert.equal(seen['app.installed'].company.slug, company.slug);
  assert.equal(seen['app.installed'].data.installed, true);
  assert.equal(seen['app.uninstalled'].data.installed, false);
  assert.equal(seen['app.uninstalled'].company.id, company.id);
  assert.equal(seen['app.updated'].company, null, 'no company for an update');
  assert.equal(seen['app.updated'].data.name, renamed, 'the state after the change: the sheet the application sees');
  assert.equal(seen['app.updated'].data.id, app.id);
  assert.equal(seen['app_user.added'].data.email, email);
  assert.equal(seen['app_user.disabled'].data.enabled, false);
  assert.equal(seen['app_user.enabled'].data.enabled, true);
  assert.equal(seen['app_user.removed'].data.user_id, user.id);
  assert.deepEqual(seen['server_variable.set'].data, { name: 'API_TOKEN', is_set: true, is_secret: true });
  for (const d of receiver.deliveries) {
    assert.ok(!d.body.includes(secretValue), 'no server variable value in any event');
  }
  // the API lists them, each with its successful attempt
  const listed = await listEvents(headers, app.id, '?limit=50');
  assert.deepEqual(listed.map((e) => e.type).sort(), [...types].sort());
  for (const e of listed) {
    const done = await waitFor(async () => (await getEvent(headers, app.id, e.id)).status === 'succeeded', 20_000);
    assert.ok(done, `event ${e.id} (${e.type}) succeeded`);
  }
  const one = await getEvent(headers, app.id, listed[0].id);
  assert.equal(one.attempt_log[0].http_status, 200);
  assert.equal(one.attempt_log[0].response, 'ok');
});

test('a tampered body and a stale timestamp are refused by the standardwebhooks library (a signature that ignores them would pass)', async () => {
  const app = await createApp(headers, receiver.url('/hook/tamper'));
  const ev = await ping(headers, app.id);
  const d = await receiver.waitFor((x) => x.id === ev.webhook_id);
  assert.equal(verify(app.events_secret, d).id, ev.webhook_id, 'the untouched delivery verifies');
  const tampered = d.body.replace('"ping"', '"app.installed"');
  assert.notEqual(tampered, d.body);
  assert.throws(() => verify(app.events_secret, d, tampered), /No matching signature/);
  assert.throws(() => verify(app.events_secret, { headers: { ...d.headers, 'webhook-id': 'evt_other' } }, d.body),
    /No matching signature/, 'the id is signed too');
  // the same delivery six minutes later: too old for the library
  const realNow = Date.now;
  Date.now = () => realNow() + 6 * 60 * 1000;
  try {
    assert.throws(() => verify(app.events_secret, d), /timestamp too old/);
  } finally {
    Date.now = realNow;
  }
  // another application's secret does not verify it
  const other = await createApp(headers, null);
  assert.throws(() => verify(other.events_secret, d), /No matching signature/);
});

test('rotating the events secret shows the new one once; during the grace period both signatures are sent, after it the old one is not', async () => {
  const app = await createApp(headers, receiver.url('/hook/rotate'));
  const old = app.events_secret;
  let r = await request(`/api/v1/apps/${app.id}/rotate-events-secret`, { method: 'POST', headers, json: { grace_seconds: 3600 } });
  assert.equal(r.status, 200, r.text);
  const fresh = r.json.events_secret;
  assert.match(fresh, /^whsec_/);
  assert.notEqual(fresh, old);
  assert.ok(r.json.previous_secret_expires_at, 'the old secret signs until a time');
  let ev = await ping(headers, app.id);
  let d = await receiver.waitFor((x) => x.id === ev.webhook_id);
  assert.equal(d.headers['webhook-signature'].split(' ').length, 2, 'two signatures, space-separated');
  verify(fresh, d);
  verify(old, d);
  // without a grace period the replaced secret no longer verifies
  r = await request(`/api/v1/apps/${app.id}/rotate-events-secret`, { method: 'POST', headers, json: {} });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.previous_secret_expires_at, null);
  const newest = r.json.events_secret;
  ev = await ping(headers, app.id);
  d = await receiver.waitFor((x) => x.id === ev.webhook_id);
  assert.equal(d.headers['webhook-signature'].split(' ').length, 1);
  verify(newest, d);
  assert.throws(() => verify(fresh, d), /No matching signature/);
  // audited, never with the secret
  const audit = await request(`/api/v1/audit?object_type=app&object_id=${app.id}&action=app.rotate_events_secret`, { headers });
  assert.equal(audit.json.items.length, 2);
  assert.ok(!audit.text.includes(newest.slice(6)) && !audit.text.includes(fresh.slice(6)));
  assertError(await request(`/api/v1/apps/${app.id}/rotate-events-secret`, { method: 'POST', headers, json: { grace_seconds: -1 } }), 400, 'invalid_request');
  assertError(await request('/api/v1/apps/999999999/rotate-events-secret', { method: 'POST', headers, json: {} }), 404, 'not_found');
});

test('an application registered before events existed gets a secret by rotation, and events from then on', async () => {
  const app = await createApp(headers, receiver.url('/hook/legacy'));
  await sql(`DELETE FROM event_endpoints WHERE app_id = ${Number(app.id)}`);
  const e = assertError(await request(`/api/v1/apps/${app.id}/events/ping`, { method: 'POST', headers }), 409, 'conflict');
  assert.match(e.message, /no events secret/);
  const r = await request(`/api/v1/apps/${app.id}/rotate-events-secret`, { method: 'POST', headers, json: {} });
  assert.equal(r.status, 200, r.text);
  const ev = await ping(headers, app.id);
  verify(r.json.events_secret, await receiver.waitFor((x) => x.id === ev.webhook_id));
});

test('the events API: filters, keyset pages, resend with the same webhook-id, refusals', async () => {
  const app = await createApp(headers, receiver.url('/hook/api'));
  const pings = [];
  for (let i = 0; i < 5; i++) pings.push(await ping(headers, app.id));
  for (const p of pings) await receiver.waitFor((x) => x.id === p.webhook_id);
  // keyset pages of 2, newest first, none twice
  const ids = [];
  let cursor = '';
  for (let page = 0; page < 5; page++) {
    const r = await request(`/api/v1/apps/${app.id}/events?limit=2${cursor}`, { headers });
    assert.equal(r.status, 200, r.text);
    ids.push(...r.json.items.map((e) => e.id));
    if (!r.json.next_cursor) break;
    cursor = `&cursor=${encodeURIComponent(r.json.next_cursor)}`;
  }
  assert.deepEqual(ids, pings.map((p) => p.id).reverse());
  // the same page in XML is the same tree
  const json = await request(`/api/v1/apps/${app.id}/events?limit=3`, { headers });
  const xml = await request(`/api/v1/apps/${app.id}/events?limit=3&format=xml`, { headers });
  assert.equal(xml.status, 200, xml.text);
  assert.deepEqual(parseXml(xml.text), json.json, 'XML and JSON differ');
  assert.equal((await listEvents(headers, app.id, '?type=ping')).length, 5);
  assert.equal((await listEvents(headers, app.id, '?type=app.updated')).length, 0);
  await waitFor(async () => (await listEvents(headers, app.id, '?status=succeeded')).length === 5, 20_000);
  assert.equal((await listEvents(headers, app.id, '?status=succeeded')).length, 5);
  assert.equal((await listEvents(headers, app.id, '?status=failed')).length, 0);
  assert.equal((await listEvents(headers, app.id, '?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z')).length, 5);
  assert.equal((await listEvents(headers, app.id, '?until=2000-01-01T00:00:00Z')).length, 0);
  assertError(await request(`/api/v1/apps/${app.id}/events?status=lost`, { headers }), 400, 'invalid_request');
  assertError(await request(`/api/v1/apps/${app.id}/events?since=yesterday`, { headers }), 400, 'invalid_request');
  assertError(await request('/api/v1/apps/999999999/events', { headers }), 404, 'not_found');
  assertError(await request(`/api/v1/apps/${app.id}/events/999999999`, { headers }), 404, 'not_found');

  // resend: the same id again, verified
  const before = receiver.of(pings[0].webhook_id).length;
  const r = await request(`/api/v1/apps/${app.id}/events/${pings[0].id}/resend`, { method: 'POST', headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.webhook_id, pings[0].webhook_id);
  await waitFor(() => receiver.of(pings[0].webhook_id).length > before, 20_000, 50);
  const again = receiver.of(pings[0].webhook_id);
  assert.equal(again.length, before + 1, 'delivered again');
  verify(app.events_secret, again[again.length - 1]);
  assertError(await request(`/api/v1/apps/${app.id}/events/999999999/resend`, { method: 'POST', headers }), 404, 'not_found');

  // an application without an events URL cannot be pinged
  const quiet = await createApp(headers, null);
  const e = assertError(await request(`/api/v1/apps/${quiet.id}/events/ping`, { method: 'POST', headers }), 409, 'conflict');
  assert.equal(e.field, 'events_url');
  // /healthz reports the outbox's oldest pending age (a number, or null when none waits)
  const h = await request('/healthz');
  assert.ok(h.json.outbox_oldest_pending_seconds === null || h.json.outbox_oldest_pending_seconds >= 0);
});
