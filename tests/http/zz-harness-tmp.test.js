'use strict';
// TEMPORARY harness check (not to be committed)
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const ctl = (...a) => execFileSync(process.env.OSTIUM_TESTCTL, a, { encoding: 'utf8' });
const url = process.env.OSTIUM_URL;
test('healthz 200', async () => {
  const r = await fetch(`${url}/healthz`);
  console.log(r.status, await r.text());
  assert.equal(r.status, 200);
});
test('testctl sql and pool-pid', () => {
  console.log(ctl('sql', 'SELECT 1, 2'));
  const pid = ctl('pool-pid').trim();
  assert.match(pid, /^\d+$/);
});
test('db stop gives 503, start gives 200', async () => {
  ctl('db-stop');
  let r = await fetch(`${url}/healthz`);
  console.log('stopped', r.status, await r.text());
  assert.equal(r.status, 503);
  ctl('db-start');
  for (let i = 0; i < 50; i++) { r = await fetch(`${url}/healthz`); if (r.status === 200) break; await new Promise((s) => setTimeout(s, 100)); }
  assert.equal(r.status, 200);
});
