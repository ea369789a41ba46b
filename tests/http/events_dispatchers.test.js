// events_dispatchers.test.js - dispatchers share one database: two
// `ostium --dispatcher` processes deliver many queued events, none is lost,
// and an event is delivered twice only when a dispatcher's lease expired
// (one is stopped with SIGSTOP in the middle of a delivery, longer than
// its lease; the repeats are counted against the reclaims the database
// recorded); and the dispatcher alone, as where the web server spawns
// the workers (mod_fcgid), delivers and stops on SIGTERM. The test
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
// it runs its delivering process.
async function startDispatcher(conf) {
  const child = spawn(path.join(state('OST_BUILD'), 'ostium'), ['--dispatcher', '-c', conf], {
    stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, `dispatcher-${children.size}.log`), 'a')],
  });
  children.add(child);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  const ok = await waitFor(() => dispatcherPids(child.pid).length === 1, 15_000, 50);
  assert.ok(ok, 'the dispatcher started its delivering process');
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
