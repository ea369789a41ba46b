// apps_sheet.test.js - the identity sheet as its users write it (issue 13):
// an application given only a project stored with that project's suite.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { request, assertError, randomHex } = require('./lib');
const fixtures = require('./apps_fixtures');

const { admin, createApp, auditRows, countNamed } = fixtures;

let writer;
before(async () => {
  writer = await admin();
});

// PATCHes application APP (at its VERSION) with JSON.
const patch = (app, version, json) =>
  request(`/api/v1/apps/${app.id}`, { method: 'PATCH', headers: writer.headers, json: { version, ...json } });

const get = (app) => request(`/api/v1/apps/${app.id}`, { headers: writer.headers });

// ---- 3. Suite and project ------------------------------------------------

const newSuite = () => fixtures.newSuite(writer);
const newProject = (suite) => fixtures.newProject(writer, suite);

test('an application given only project_id is stored with the project\'s suite (was suite_id null); a suite of another project is still refused', async () => {
  const suite = await newSuite();
  const project = await newProject(suite);
  const app = await createApp(writer, { name: `projonly-${randomHex(5)}`, project_id: project });
  assert.equal(app.suite_id, suite, 'the project\'s suite');
  assert.equal(app.project_id, project);
  assert.equal((await get(app)).json.suite_id, suite, 'stored so');
  const [[, details]] = await auditRows(app.id);
  assert.equal(JSON.parse(details).suite_id, suite, 'the audit entry says what was stored');
  const listed = await request(`/api/v1/apps?suite_id=${suite}`, { headers: writer.headers });
  assert.deepEqual(listed.json.items.map((a) => a.id), [app.id], 'found by its suite');

  // an update naming only a project takes its suite too
  const suiteB = await newSuite();
  const projectB = await newProject(suiteB);
  const bare = await createApp(writer, { name: `later-${randomHex(5)}` });
  let r = await patch(bare, 1, { project_id: projectB });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suiteB);
  // moving to a project of another suite moves to that suite
  r = await patch(bare, 2, { project_id: project });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suite);
  // a null suite with a project is the project's suite
  r = await patch(bare, 3, { suite_id: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.suite_id, suite);

  // a suite given with a project of another suite is refused, as before
  const mixed = `mixed-${randomHex(5)}`;
  const bad = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name: mixed, suite_id: suiteB, project_id: project },
  });
  assert.equal(assertError(bad, 400, 'invalid_request').field, 'project_id');
  assert.equal(await countNamed(mixed), 0);
  const badPatch = await patch(bare, 4, { suite_id: suiteB });
  assert.equal(assertError(badPatch, 400, 'invalid_request').field, 'project_id');
  const badBoth = await patch(bare, 4, { suite_id: suiteB, project_id: project });
  assert.equal(assertError(badBoth, 400, 'invalid_request').field, 'project_id');
  assert.equal((await get(bare)).json.suite_id, suite, 'nothing written');
  const noProject = await request('/api/v1/apps', {
    method: 'POST', headers: writer.headers, json: { name: `noproj-${randomHex(5)}`, project_id: 999999999 },
  });
  assert.equal(assertError(noProject, 400, 'invalid_request').field, 'project_id');
});
