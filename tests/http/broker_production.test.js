// broker_production.test.js - outside development mode an endpoint on a
// loopback, private or link-local address is refused when the call is
// made, however the address is written (issue 11): a second ostium pool
// on the test database runs with development = no (https as told by the
// trusted proxy), and the refresh of a connection whose token endpoint
// names such an address reaches nothing; the provider is marked as
// misconfigured, the connection is not marked auth_failed.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const b = require('./broker_lib');

let stub;
before(async () => { stub = await b.startUpstream('stub'); });
after(async () => { await stub.stop(); });

test('an endpoint on a loopback, private or link-local address is refused outside development mode, however it is spelt, and nothing reaches it', async () => {
  const prod = await b.startPool({ development: false });
  try {
    const w = await b.world();
    const p = await b.provider(w, stub);
    const s = await b.signInAs(await b.member(w.headers, w.company));
    const id = b.connectedId(await b.connect(w, s, p.name, { visibility: 'workspace' }));
    const cases = [
      [`https://127.0.0.1:${stub.port}/token`, /loopback \(127\.0\.0\.0\/8\)/],
      [`https://localhost:${stub.port}/token`, /loopback/],
      [`https://[::ffff:127.0.0.1]:${stub.port}/token`, /loopback \(127\.0\.0\.0\/8\)/],
      [`https://2130706433:${stub.port}/token`, /loopback \(127\.0\.0\.0\/8\)/],
      ['https://10.255.255.1/token', /private \(10\.0\.0\.0\/8\)/],
      ['https://169.254.169.254/token', /link-local \(169\.254\.0\.0\/16\)/],
      [`http://127.0.0.1:${stub.port}/token`, /must use https/],
    ];
    for (const [endpoint, why] of cases) {
      const cur = await b.api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers/${p.name}`);
      const ch = await b.api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers/${p.name}`, { method: 'PATCH',
        json: { version: cur.json.version, oauth: { token_endpoint: endpoint } } });
      assert.equal(ch.status, 200, `${endpoint}: saved in development mode: ${ch.text}`);
      await b.sql(`UPDATE connections SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, retry_at = NULL WHERE id = ${id}`);
      const before = (await stub.stats()).tokenRequests;
      const r = await prod.call(`/api/v1/app/connections/${id}`, { headers: b.appHeaders(w) });
      const body = await r.json();
      assert.equal(r.status, 200, `${endpoint}: ${JSON.stringify(body)}`);
      assert.equal(body.status, 'transient_failure', endpoint);
      assert.equal(body.access_token, null, endpoint);
      assert.equal(body.auth_failed_at, null, `${endpoint}: not the connection's fault`);
      assert.equal((await stub.stats()).tokenRequests, before, `${endpoint}: nothing reached the provider`);
      const prov = await b.api(w.headers, `/api/v1/apps/${w.app.id}/connection-providers/${p.name}`);
      assert.match(prov.json.config_error || '', why, endpoint);
    }
  } finally {
    await prod.stop();
  }
});
