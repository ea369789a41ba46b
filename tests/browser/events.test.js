// events.test.js - the Events tab of an application's page in a browser:
// it lists each event with its attempts (time, HTTP status, duration, the
// first bytes of the answer), a failed delivery and a succeeded one;
// Resend delivers an event again and "Send test event" sends a ping, both
// seen arriving at a receiver on loopback. Saves a screenshot of the tab
// (OSTIUM_TEST_DIR/events-tab.png).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { env, launch, clickAndLand, signIn } = require('./lib');
const { request, waitFor } = require('../http/lib');
const { Receiver, verify, adminHeaders, createApp, ping } = require('../http/events_lib');

const baseUrl = env('OSTIUM_URL');
const email = env('OSTIUM_ADMIN_EMAIL');
const password = env('OSTIUM_ADMIN_PASSWORD');

let browser;
let headers;
let receiver;

before(async () => {
  headers = await adminHeaders();
  // updates fail at this receiver, test events succeed
  receiver = await new Receiver((d) => (JSON.parse(d.body).type === 'app.updated'
    ? { status: 500, text: 'receiver says no' } : { status: 200, text: 'thanks' })).start();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (receiver) await receiver.stop();
});

test('the Events tab shows a failed and a succeeded delivery with their attempts, resends one and sends a test event', async () => {
  const app = await createApp(headers, receiver.url('/hook/console'));
  const cur = await request(`/api/v1/apps/${app.id}`, { headers });
  const upd = await request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers,
    json: { description: 'will fail at the receiver', version: cur.json.version } });
  assert.equal(upd.status, 200, upd.text);
  const ok = await ping(headers, app.id);
  await receiver.waitFor((d) => d.id === ok.webhook_id);
  await waitFor(() => receiver.deliveries.some((d) => JSON.parse(d.body).type === 'app.updated'), 20_000, 50);

  const page = await browser.context.newPage();
  const appPath = `/admin/apps/${app.id}`;
  const eventRow = (text) => page.locator('#events tbody tr', { hasText: text });
  try {
    await signIn(page, baseUrl, email, password);
    await page.goto(`${baseUrl}${appPath}`);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Events' }).click();
    await page.locator('#events').waitFor();
    // both attempts are recorded before the page is read
    const shown = await waitFor(async () => {
      await page.reload();
      const failed = await eventRow('app.updated').innerText().catch(() => '');
      const done = await eventRow('ping').innerText().catch(() => '');
      return /HTTP 500/.test(failed) && /HTTP 200/.test(done) && { failed, done };
    }, 20_000, 300);
    assert.ok(shown, 'the tab shows the failed and the succeeded delivery');
    assert.match(shown.failed, /receiver says no/, 'the first bytes of the failed answer');
    assert.match(shown.failed, /\d+ ms/, 'its duration');
    assert.match(shown.failed, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, 'its time');
    assert.match(shown.done, /succeeded \(1 attempt\)/);
    assert.match(shown.done, /HTTP 200 · \d+ ms · thanks/);
    await page.locator('#events').screenshot({ path: path.join(env('OSTIUM_TEST_DIR'), 'events-tab.png') });

    // Resend the succeeded one: it arrives again, with the same id
    const before = receiver.of(ok.webhook_id).length;
    await clickAndLand(page, eventRow('ping').getByRole('button', { name: 'Resend' }), appPath, 'Resend');
    await waitFor(() => receiver.of(ok.webhook_id).length > before, 20_000, 50);
    const again = receiver.of(ok.webhook_id);
    verify(app.events_secret, again[again.length - 1]);
    const twice = await waitFor(async () => {
      await page.reload();
      return /succeeded \(2 attempts\)/.test(await eventRow('ping').first().innerText());
    }, 20_000, 300);
    assert.ok(twice, 'the tab shows the second attempt');

    // Send test event: a new ping arrives
    const pings = () => receiver.deliveries.filter((d) => JSON.parse(d.body).type === 'ping').map((d) => d.id);
    const known = new Set(pings());
    await clickAndLand(page, page.getByRole('button', { name: 'Send test event' }), appPath, 'Send test event');
    assert.match(await page.locator('body').innerText(), /Saved\./);
    const fresh = await waitFor(() => pings().find((id) => !known.has(id)), 20_000, 50);
    assert.ok(fresh, 'the test event arrived');
    verify(app.events_secret, receiver.of(fresh)[0]);
    const listed = await waitFor(async () => {
      await page.reload();
      return (await eventRow('ping').count()) === 2;
    }, 20_000, 300);
    assert.ok(listed, 'the tab lists the test event');

    // Rotate events secret: the new secret is shown this once, and signs
    await page.getByLabel('Keep the old secret signing for (seconds)').fill('0');
    await clickAndLand(page, page.getByRole('button', { name: 'Rotate events secret' }),
      `${appPath}/rotate-events-secret`, 'Rotate events secret');
    const secret = (await page.locator('.secret code.token').innerText()).trim();
    assert.match(secret, /^whsec_/);
    assert.notEqual(secret, app.events_secret);
    const next = await ping(headers, app.id);
    verify(secret, await receiver.waitFor((d) => d.id === next.webhook_id));
    await page.goto(`${baseUrl}${appPath}`);
    assert.ok(!(await page.content()).includes(secret.slice(6)), 'never shown again');
  } finally {
    await page.close();
  }
});
