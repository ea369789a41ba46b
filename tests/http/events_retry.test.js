// events_retry.test.js - events are never lost: a receiver that fails (500,
// then no answer within the time-out, then no listener at all) gets each
// event retried with back-off until it succeeds, a retry more than five
// minutes after its event still verifies, and a dispatcher killed with
// SIGKILL in the middle of deliveries loses none (its leases expire and
// another delivers). The test servers retry after 1 s, 2 s, 3 s, 4 s
// (scripts/lib.sh OST_TEST_EVENTS), with a 2 s time-out and 10 s leases.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, sql, waitFor, sleep, configValue } = require('./lib');
const { Receiver, verify, adminHeaders, createApp, getEvent, ping, dispatcherPids, pidOf } = require('./events_lib');

let headers;

before(async () => {
  headers = await adminHeaders();
});

// The retry delays of the test servers, in seconds.
function schedule() {
  return configValue('events_retry_schedule', '1s 2s 3s 4s').split(/\s+/).map((s) => parseInt(s, 10));
}

test('a failing receiver (500, time-out, refused) gets the event retried with back-off until it succeeds; a retry over five minutes after its event still verifies', async () => {
  const timeoutS = Number(configValue('events_timeout', '2'));
  let receiver = await new Receiver((d, n) => {
    if (n === 1) return { status: 500, text: 'broken' };
    if (n === 2) return { status: 200, delayMs: (timeoutS + 1) * 1000 }; // past the time-out
    return { status: 200 };
  }).start();
  const port = receiver.port;
  const app = await createApp(headers, receiver.url('/hook/retry'));
  const ev = await ping(headers, app.id);

  // first attempt: 500
  await receiver.waitFor((d) => d.id === ev.webhook_id);
  // the event is made older than five minutes, as if the retries had
  // taken that long: a signature made when the event was written would
  // now be refused by the library
  await sql(`UPDATE event_outbox SET created_at = created_at - INTERVAL 10 MINUTE WHERE id = ${Number(ev.id)}`);
  // second attempt: no answer within the time-out
  const second = await waitFor(async () => (await getEvent(headers, app.id, ev.id)).attempts >= 2, 30_000, 100);
  assert.ok(second, 'a second attempt was made');
  // third attempt: nobody listens
  await receiver.stop();
  const third = await waitFor(async () => {
    const e = await getEvent(headers, app.id, ev.id);
    return e.attempts >= 3 && e;
  }, 30_000, 100);
  assert.ok(third, 'a third attempt was made while nothing listened');
  assert.equal(third.status, 'pending', 'still to be retried');
  assert.ok(third.next_attempt_at, 'with a time for the next attempt');
  // back again: the fourth attempt succeeds
  receiver = await new Receiver().start(port);
  try {
    const d = await receiver.waitFor((x) => x.id === ev.webhook_id, 30_000);
    const body = verify(app.events_secret, d);
    const signedAt = Number(d.headers['webhook-timestamp']);
    const madeAt = Date.parse(body.timestamp) / 1000;
    assert.ok(signedAt - madeAt > 300, `the retry came ${signedAt - madeAt} s after its event and verified`);
    const done = await waitFor(async () => {
      const e = await getEvent(headers, app.id, ev.id);
      return e.status === 'succeeded' && e;
    }, 20_000, 100);
    assert.ok(done, 'the event succeeded');
    assert.equal(done.attempts, 4);
    const log = [...done.attempt_log].reverse(); // oldest first
    assert.equal(log.length, 4);
    assert.equal(log[0].http_status, 500);
    assert.equal(log[0].response, 'broken', 'the first bytes of the answer are kept');
    assert.match(log[1].error, /no answer within/);
    assert.equal(log[1].http_status, null);
    assert.match(log[2].error, /onnect/);
    assert.equal(log[3].http_status, 200);
    assert.equal(log[3].error, null);
    // back-off: each retry waited at least its delay after the attempt before
    const delays = schedule();
    for (let i = 1; i < 4; i++) {
      const gap = (Date.parse(log[i].at) - Date.parse(log[i - 1].at)) / 1000;
      // times are whole seconds: one second of rounding
      assert.ok(gap >= delays[i - 1] - 1, `retry ${i} came ${gap} s after attempt ${i}, before its ${delays[i - 1]} s back-off`);
    }
    // the endpoint failed, then recovered: no longer failing
    const [[failing]] = await sql(`SELECT failing_since IS NULL FROM event_endpoints WHERE app_id = ${Number(app.id)}`);
    assert.equal(failing, '1');
  } finally {
    await receiver.stop();
  }
});

test('an event whose retries are spent is marked failed, and the endpoint failing for days is disabled with an audit entry', async () => {
  const receiver = await new Receiver(() => ({ status: 503 })).start();
  try {
    const app = await createApp(headers, receiver.url('/hook/dead'));
    const ev = await ping(headers, app.id);
    const failed = await waitFor(async () => {
      const e = await getEvent(headers, app.id, ev.id);
      return e.status === 'failed' && e;
    }, 60_000, 200);
    assert.ok(failed, 'the event failed after its retries');
    assert.equal(failed.attempts, schedule().length + 1);
    assert.equal(failed.last_status, 503);
    // the clock moved on: it has been failing for six days
    await sql(`UPDATE event_endpoints SET failing_since = UTC_TIMESTAMP() - INTERVAL 6 DAY WHERE app_id = ${Number(app.id)}`);
    // the next event (an update), and its failure, disable the endpoint
    const cur = await request(`/api/v1/apps/${app.id}`, { headers });
    const upd = await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers,
      json: { description: 'still failing', version: cur.json.version } });
    assert.equal(upd.status, 200, upd.text);
    const [next] = (await request(`/api/v1/apps/${app.id}/events?type=app.updated`, { headers })).json.items;
    assert.ok(next, 'the update wrote an event');
    const disabled = await waitFor(async () => {
      const r = await request(`/api/v1/audit?object_type=app&object_id=${app.id}&action=app.events_disabled`, { headers });
      return r.json.items.length === 1 && r.json.items[0];
    }, 30_000, 200);
    assert.ok(disabled, 'an audit entry says the endpoint was disabled');
    assert.equal(disabled.actor_type, 'system');
    const e = await waitFor(async () => {
      const x = await getEvent(headers, app.id, next.id);
      return x.status === 'failed' && x;
    }, 10_000, 100);
    assert.ok(e, 'its pending event failed with it');
    // disabled: a change writes no event, until a test event enables it again
    const [[state]] = await sql(`SELECT disabled_at IS NOT NULL FROM event_endpoints WHERE app_id = ${Number(app.id)}`);
    assert.equal(state, '1');
    const cur2 = await request(`/api/v1/apps/${app.id}`, { headers });
    await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers,
      json: { description: 'while disabled', version: cur2.json.version } });
    assert.equal((await request(`/api/v1/apps/${app.id}/events?type=app.updated`, { headers })).json.items.length, 1,
      'no event is written for a disabled endpoint');
    await ping(headers, app.id);
    const [[again]] = await sql(`SELECT disabled_at IS NULL FROM event_endpoints WHERE app_id = ${Number(app.id)}`);
    assert.equal(again, '1', 'a test event enables the endpoint again');
  } finally {
    await receiver.stop();
  }
});

test('a dispatcher killed with SIGKILL in the middle of deliveries loses no event: every one is delivered at least once, none is left pending', async () => {
  let held = null;
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const receiver = await new Receiver(async (d, n) => {
    if (n === 5) {
      held = d;
      await released; // the dispatcher waits here when it is killed
    }
    return { status: 200 };
  }).start();
  try {
    const app = await createApp(headers, receiver.url('/hook/kill'));
    const events = [];
    for (let i = 0; i < 20; i++) events.push(await ping(headers, app.id));
    await waitFor(() => held, 30_000, 20);
    assert.ok(held, 'a delivery is in the middle');
    const [[leasedBy]] = await sql(`SELECT leased_by FROM event_outbox WHERE webhook_id = '${held.id.replace(/[^a-z0-9_]/g, '')}'`);
    const victim = pidOf(leasedBy);
    assert.ok(dispatcherPids().includes(victim), `${victim} is a dispatcher`);
    process.kill(victim, 'SIGKILL');
    release();
    // every event arrives at least once and none is left pending
    const all = await waitFor(async () => {
      for (const e of events) if (receiver.of(e.webhook_id).length === 0) return false;
      const pending = await sql(`SELECT COUNT(*) FROM event_outbox WHERE app_id = ${Number(app.id)} AND status <> 'succeeded'`);
      return pending[0][0] === '0';
    }, 60_000, 200);
    assert.ok(all, 'all delivered, none pending');
    for (const e of events) {
      const got = receiver.of(e.webhook_id);
      assert.ok(got.length >= 1);
      verify(app.events_secret, got[got.length - 1]);
    }
    // the one in the middle was delivered again once its lease expired
    assert.ok(receiver.of(held.id).length >= 2, 'the interrupted delivery was made again');
    const [[reclaims]] = await sql(`SELECT reclaims FROM event_outbox WHERE webhook_id = '${held.id.replace(/[^a-z0-9_]/g, '')}'`);
    assert.ok(Number(reclaims) >= 1, 'after its lease was claimed again');
    // the killed dispatcher was replaced by its master
    const back = await waitFor(() => dispatcherPids().length >= Number(configValue('events_workers', '2')) &&
      !dispatcherPids().includes(victim), 20_000, 100);
    assert.ok(back, `the killed dispatcher ${victim} was replaced: ${dispatcherPids()}`);
  } finally {
    release();
    await receiver.stop();
  }
});
