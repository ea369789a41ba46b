// pool.test.js - the ostium pool under process trouble: a killed worker is
// replaced while requests keep succeeding, and SIGHUP replaces the workers
// without a failed request or a new master; run by scripts/test with one
// test file at a time (--test-concurrency=1), as it signals the pool.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const {
  request,
  testctl,
  createAdmin,
  createToken,
  configValue,
  waitFor,
  sleep,
  hasPoolMaster,
  NO_POOL_MASTER,
  liveProcesses,
} = require('./lib');

// Under apache-fcgid there is no pool: mod_fcgid replaces the processes.
const skip = hasPoolMaster ? false : NO_POOL_MASTER;

// The pid of the pool master.
async function masterPid() {
  const pid = Number((await testctl('pool-pid')).trim());
  assert.ok(Number.isInteger(pid) && pid > 1, `pool-pid: ${pid}`);
  return pid;
}

// The FastCGI workers among the children of PID, sorted (the events
// dispatchers the master also runs are named ostium-events).
function childrenOf(pid) {
  return liveProcesses(pid).filter((p) => p.name !== 'ostium-events').map((p) => p.pid);
}

// Sends COUNT requests, CONCURRENCY at a time, each one of REQUESTS in
// turn; resolves with the list of failures (empty when all were 200).
async function burst(count, concurrency, requests) {
  const failures = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const [path, options] = requests[i % requests.length];
      try {
        const r = await request(path, options);
        if (r.status !== 200) failures.push(`${path}: ${r.status} ${r.text.slice(0, 200)}`);
      } catch (err) {
        failures.push(`${path}: ${err.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return failures;
}

async function mixedRequests() {
  const { email } = await createAdmin();
  const token = await createToken(email);
  return [
    ['/healthz', {}],
    ['/api/v1/me', { headers: { Authorization: `Bearer ${token}` } }],
    ['/healthz?format=xml', {}],
    ['/admin/login', {}],
  ];
}

const workers = () => Number(configValue('workers', '4'));

test('a killed worker is replaced and requests keep succeeding', { skip }, async () => {
  const requests = await mixedRequests();
  const master = await masterPid();
  const before = await waitFor(() => childrenOf(master).length === workers() && childrenOf(master), 10_000);
  assert.ok(before, `expected ${workers()} workers, found ${childrenOf(master)}`);
  const victim = before[0];

  process.kill(victim, 'SIGKILL');
  // Right after the kill: a few dozen requests, all answered.
  const failures = await burst(48, 4, requests);
  assert.deepEqual(failures, [], 'every request after the kill succeeded');

  const after = await waitFor(() => {
    const now = childrenOf(master);
    return now.length === workers() && !now.includes(victim) && now;
  }, 15_000);
  assert.ok(after, `the killed worker ${victim} was not replaced: ${childrenOf(master)}`);
  assert.ok(after.some((pid) => !before.includes(pid)), 'a new worker pid appeared');
  assert.equal(await masterPid(), master, 'the master is the same');
  assert.deepEqual(await burst(24, 2, requests), [], 'requests succeed with the new worker');
});

test('SIGHUP replaces the workers while every request succeeds, with the same master', { skip }, async () => {
  const requests = await mixedRequests();
  const master = await masterPid();
  const before = await waitFor(() => childrenOf(master).length === workers() && childrenOf(master), 10_000);
  assert.ok(before, `expected ${workers()} workers, found ${childrenOf(master)}`);

  // Load runs before, during and after the reload.
  let stop = false;
  const failures = [];
  let sent = 0;
  const load = (async () => {
    while (!stop) {
      failures.push(...(await burst(8, 4, requests)));
      sent += 8;
    }
  })();
  try {
    await sleep(200);
    process.kill(master, 'SIGHUP');
    const replaced = await waitFor(() => {
      const now = childrenOf(master);
      return now.length === workers() && now.every((pid) => !before.includes(pid)) && now;
    }, 20_000, 100);
    assert.ok(replaced, `the workers were not all replaced: before ${before}, now ${childrenOf(master)}`);
    await sleep(500);
  } finally {
    stop = true;
    await load;
  }
  assert.ok(sent >= 16, `only ${sent} requests were sent`);
  assert.deepEqual(failures, [], 'every request during and after SIGHUP succeeded');
  assert.equal(await masterPid(), master, 'the master is the same');
  assert.deepEqual(await burst(24, 2, requests), [], 'requests succeed after the reload');
});
