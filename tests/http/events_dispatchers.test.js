// events_dispatchers.test.js - dispatchers share one database: two
// `ostium --dispatcher` processes deliver many queued events, none is lost,
// and an event is delivered twice only when a dispatcher's lease expired
// (one is stopped with SIGSTOP in the middle of a delivery, longer than
// its lease; the repeats are counted against the reclaims the database
// recorded); deliveries to one application are capped, so that a dead
// endpoint holds up no other; old attempts are removed after
// events_retention; and the dispatcher alone, as where the web server
// spawns the workers (mod_fcgid), delivers and stops on SIGTERM. The test
// servers' own dispatchers are stopped meanwhile (testctl dispatch off)
// and started again after; run one file at a time (scripts/test).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { env, request, sql, testctl, waitFor, sleep } = require('./lib');
const { Receiver, verify, adminHeaders, createApp, ping, dispatcherPids, pidOf } = require('./events_lib');

const testDir = env('OSTIUM_TEST_DIR');
let headers;
let dir;
const children = new Set();

// The ostium binary and configuration of the test servers.
function state(key) {
  const text = fs.readFileSync(path.join(testDir, 'state'), 'utf8');
  return new RegExp(`^${key}=(.*)$`, 'm').exec(text)[1];
}

// A configuration for dispatchers of this test: the test servers' own with
// EXTRA keys replaced ({key: value}).
function writeConfig(name, extra) {
  const lines = fs.readFileSync(state('OST_CONF'), 'utf8').split('\n')
    .filter((l) => l.trim() !== '' && !Object.keys(extra).some((k) => new RegExp(`^\\s*${k}\\s*=`).test(l)));
  for (const [k, v] of Object.entries(extra)) lines.push(`${k} = ${v}`);
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

// Starts `ostium --dispatcher -c CONF`; resolves with the child process once
// it runs its WORKERS delivering processes.
async function startDispatcher(conf, workers = 1) {
  const child = spawn(path.join(state('OST_BUILD'), 'ostium'), ['--dispatcher', '-c', conf], {
    stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, `dispatcher-${children.size}.log`), 'a')],
  });
  children.add(child);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  const ok = await waitFor(() => dispatcherPids(child.pid).length === workers, 15_000, 50);
  if (!ok) await stopDispatcher(child);
  assert.ok(ok, `the dispatcher started its ${workers} delivering processes`);
  return child;
}

async function stopDispatcher(child) {
  child.kill('SIGTERM');
  return child.exited;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(testDir, 'dispatchers-'));
  headers = await adminHeaders();
  await testctl('dispatch', 'off');
});

after(async () => {
  for (const child of [...children]) {
    for (const pid of dispatcherPids(child.pid)) {
      try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    }
    await stopDispatcher(child);
  }
  await testctl('dispatch', 'on');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('two dispatchers on one database deliver many events: none lost, repeats only after an expired lease (counted)', async () => {
  const lease = 3;
  let held = null;
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const receiver = await new Receiver(async (d, n) => {
    if (n === 40) {
      held = d;
      await released;
    }
    return { status: 200 };
  }).start();
  try {
    const app = await createApp(headers, receiver.url('/hook/two'));
    const events = [];
    for (let i = 0; i < 150; i++) events.push(await ping(headers, app.id));
    const [[queued]] = await sql(`SELECT COUNT(*) FROM event_outbox WHERE app_id = ${Number(app.id)} AND status = 'pending'`);
    assert.equal(queued, '150', 'queued while no dispatcher runs');
    // a stopped dispatcher is seen: /healthz gives the age of what waits
    await sleep(1100);
    const h = await request('/healthz');
    assert.ok(h.json.outbox_oldest_pending_seconds >= 1, `oldest pending ${h.json.outbox_oldest_pending_seconds}`);
    const conf = writeConfig('two.conf', { events_workers: 1, events_lease: lease, events_timeout: 1,
      events_app_concurrency: 2, events_poll_ms: 50 });
    const a = await startDispatcher(conf);
    const b = await startDispatcher(conf);
    // one delivery is held; its dispatcher is stopped past its lease
    await waitFor(() => held, 60_000, 20);
    assert.ok(held, 'a delivery is in the middle');
    const id = held.id.replace(/[^a-z0-9_]/g, '');
    const [[leasedBy]] = await sql(`SELECT leased_by FROM event_outbox WHERE webhook_id = '${id}'`);
    const stopped = pidOf(leasedBy);
    process.kill(stopped, 'SIGSTOP');
    release();
    await waitFor(async () => {
      const [[r]] = await sql(`SELECT reclaims FROM event_outbox WHERE webhook_id = '${id}'`);
      return Number(r) >= 1;
    }, 30_000, 100);
    process.kill(stopped, 'SIGCONT');
    const done = await waitFor(async () => {
      const [[n]] = await sql(`SELECT COUNT(*) FROM event_outbox WHERE app_id = ${Number(app.id)} AND status <> 'succeeded'`);
      return n === '0' && events.every((e) => receiver.of(e.webhook_id).length >= 1);
    }, 120_000, 200);
    assert.ok(done, 'every event delivered, none pending');

    // count the repeats, and the leases that expired
    const rows = await sql(`SELECT webhook_id, reclaims FROM event_outbox WHERE app_id = ${Number(app.id)}`);
    const reclaims = new Map(rows.map(([w, r]) => [w, Number(r)]));
    let repeats = 0;
    for (const e of events) {
      const got = receiver.of(e.webhook_id);
      for (const d of got) verify(app.events_secret, d);
      if (got.length > 1) {
        repeats += got.length - 1;
        assert.ok(got.length - 1 <= reclaims.get(e.webhook_id),
          `${e.webhook_id} came ${got.length} times with ${reclaims.get(e.webhook_id)} expired leases`);
      }
    }
    const expired = [...reclaims.values()].reduce((s, r) => s + r, 0);
    assert.ok(repeats >= 1, 'the delivery whose dispatcher was stopped was repeated');
    assert.ok(repeats <= expired, `${repeats} repeats, ${expired} expired leases`);
    const [[lost]] = await sql(`SELECT COUNT(*) FROM event_attempts a JOIN event_outbox o ON o.id = a.event_id WHERE o.app_id = ${Number(app.id)} AND a.lease_lost = 1`);
    assert.ok(Number(lost) >= 1, 'the stopped dispatcher learnt it had lost its lease');
    const who = await sql(`SELECT DISTINCT a.dispatcher FROM event_attempts a JOIN event_outbox o ON o.id = a.event_id WHERE o.app_id = ${Number(app.id)}`);
    assert.equal(who.length, 2, 'both dispatchers delivered');
    console.log(`# two dispatchers: 150 events, ${repeats} repeated, ${expired} leases expired`);
    await stopDispatcher(a);
    await stopDispatcher(b);
  } finally {
    release();
    await receiver.stop();
  }
});

test('deliveries to one application are capped: a dead endpoint holds one dispatcher, the others deliver the rest', async () => {
  let inFlight = 0;
  let most = 0;
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const dead = await new Receiver(async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await released; // no answer until the test ends
    inFlight--;
    return { status: 200 };
  }).start();
  const live = await new Receiver().start();
  let child;
  try {
    const stuck = await createApp(headers, dead.url('/hook/dead'));
    const fine = await createApp(headers, live.url('/hook/live'));
    for (let i = 0; i < 6; i++) await ping(headers, stuck.id);
    const wanted = [];
    for (let i = 0; i < 20; i++) wanted.push(await ping(headers, fine.id));
    child = await startDispatcher(writeConfig('cap.conf', { events_workers: 3,
      events_app_concurrency: 1, events_timeout: 30, events_lease: 40, events_poll_ms: 50 }), 3);
    const all = await waitFor(() => wanted.every((e) => live.of(e.webhook_id).length === 1), 30_000, 50);
    assert.ok(all, 'the live application got every event while the dead one held a delivery');
    assert.ok(dead.deliveries.length >= 1, 'the dead endpoint was tried');
    assert.equal(most, 1, 'never more than one delivery at once to the capped application');
  } finally {
    release();
    if (child) await stopDispatcher(child);
    await dead.stop();
    await live.stop();
  }
});

test('attempts older than events_retention are removed, and a finished event with them', async () => {
  const receiver = await new Receiver().start();
  try {
    const app = await createApp(headers, receiver.url('/hook/old'));
    const old = await ping(headers, app.id);
    const recent = await ping(headers, app.id);
    const conf = writeConfig('retention.conf', { events_workers: 1, events_retention: '30d' });
    let child = await startDispatcher(conf);
    await receiver.waitFor((d) => d.id === recent.webhook_id);
    await waitFor(async () => (await sql(`SELECT COUNT(*) FROM event_attempts WHERE event_id IN (${Number(old.id)}, ${Number(recent.id)})`))[0][0] === '2', 10_000);
    await stopDispatcher(child);
    // the clock moved on 31 days for the first event and its attempt
    await sql(`UPDATE event_attempts SET at = at - INTERVAL 31 DAY WHERE event_id = ${Number(old.id)}`);
    await sql(`UPDATE event_outbox SET created_at = created_at - INTERVAL 31 DAY WHERE id = ${Number(old.id)}`);
    child = await startDispatcher(conf); // a new dispatcher tidies up within seconds
    const gone = await waitFor(async () => (await sql(`SELECT COUNT(*) FROM event_outbox WHERE id = ${Number(old.id)}`))[0][0] === '0', 30_000, 200);
    assert.ok(gone, 'the old event and its attempt were removed');
    const [[attempts]] = await sql(`SELECT COUNT(*) FROM event_attempts WHERE event_id = ${Number(old.id)}`);
    assert.equal(attempts, '0');
    const [[kept]] = await sql(`SELECT COUNT(*) FROM event_outbox WHERE id = ${Number(recent.id)}`);
    assert.equal(kept, '1', 'a recent event is kept');
    await stopDispatcher(child);
  } finally {
    await receiver.stop();
  }
});

test('the dispatcher alone (ostium --dispatcher, as under mod_fcgid) delivers, and stops on SIGTERM leaving nothing behind', async () => {
  const receiver = await new Receiver().start();
  try {
    const app = await createApp(headers, receiver.url('/hook/alone'));
    const ev = await ping(headers, app.id);
    const conf = writeConfig('alone.conf', { events_workers: 1 });
    const child = await startDispatcher(conf);
    const [worker] = dispatcherPids(child.pid);
    const d = await receiver.waitFor((x) => x.id === ev.webhook_id, 30_000);
    verify(app.events_secret, d);
    const [[by]] = await sql(`SELECT a.dispatcher FROM event_attempts a WHERE a.event_id = ${Number(ev.id)}`);
    assert.equal(pidOf(by), worker, 'delivered by the lone dispatcher');
    const { code, signal } = await stopDispatcher(child);
    assert.equal(signal, null);
    assert.equal(code, 0, 'a clean stop');
    assert.deepEqual(dispatcherPids(child.pid), [], 'no delivering process left');
    const gone = await waitFor(() => { try { process.kill(worker, 0); return false; } catch { return true; } }, 5000);
    assert.ok(gone, 'its delivering process is gone');
  } finally {
    await receiver.stop();
  }
});
