// config.test.js - ostium refuses a bad configuration file at start, naming
// the file, the line and the reason, and exits non-zero; run by scripts/test.
// Each bad file is the test server's own (valid) configuration with one
// defect, listening in a directory of its own, so nothing else is wrong and
// a refusal that went missing could not disturb the running pool.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { env, configValue } = require('./lib');

const testDir = env('OSTIUM_TEST_DIR');
const top = path.resolve(__dirname, '..', '..');

// The ostium binary under test: OSTIUM_BIN, else the build scripts/test
// recorded, else tmp/build-test/ostium.
function ostiumBinary() {
  if (process.env.OSTIUM_BIN) return process.env.OSTIUM_BIN;
  try {
    const state = fs.readFileSync(path.join(testDir, 'state'), 'utf8');
    const build = /^OST_BUILD=(.*)$/m.exec(state)?.[1];
    if (build && fs.existsSync(path.join(build, 'ostium'))) return path.join(build, 'ostium');
  } catch {
    // no state file: fall through
  }
  return path.join(top, 'tmp', 'build-test', 'ostium');
}

function testConfigPath() {
  try {
    const state = fs.readFileSync(path.join(testDir, 'state'), 'utf8');
    const conf = /^OST_CONF=(.*)$/m.exec(state)?.[1];
    if (conf) return conf;
  } catch {
    // fall through
  }
  return path.join(testDir, 'ostium.conf');
}

const bin = ostiumBinary();
let dir;
let goodLines;

before(() => {
  assert.ok(fs.existsSync(bin), `no ostium binary at ${bin} (set OSTIUM_BIN)`);
  dir = fs.mkdtempSync(path.join(testDir, 'conf-'));
  // The test server's configuration, listening and writing its pid here.
  goodLines = fs.readFileSync(testConfigPath(), 'utf8').split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      if (/^\s*listen\s*=/.test(l)) return `listen = unix:${dir}/o.sock`;
      if (/^\s*pid_file\s*=/.test(l)) return `pid_file = ${dir}/o.pid`;
      return l;
    });
  assert.ok(goodLines.length >= 5, 'the test configuration has a few lines');
  assert.equal(configValue('development', 'no'), 'yes', 'the test server runs in development mode');
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Runs ostium ARGS; resolves with { code, signal, stdout, stderr }.
function run(args) {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 15_000, killSignal: 'SIGTERM' }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, signal: err ? err.signal : null, stdout, stderr });
    });
  });
}

// Writes LINES as NAME in the temporary directory; returns its path.
function writeConfig(name, lines) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

// The good lines with LINE put in at 1-based line number AT (replacing
// any line of the same key); returns [lines, the line number of LINE].
function withLine(line, at) {
  const key = line.split('=')[0].trim();
  const lines = goodLines.filter((l) => l.split('=')[0].trim() !== key);
  lines.splice(at - 1, 0, line);
  return lines;
}

// Asserts that ostium -c FILE was refused naming FILE, LINE and REASON.
function assertRefused(r, file, line, reason, what) {
  const where = `${what}: exit ${r.code} signal ${r.signal}, stderr: ${r.stderr}`;
  assert.equal(r.signal, null, `${where} (it ran until killed: the file was accepted)`);
  assert.ok(typeof r.code === 'number' && r.code !== 0, where);
  assert.ok(r.stderr.includes(`${file}:${line}:`), `${where}: expected ${file}:${line}:`);
  assert.match(r.stderr, reason, where);
  assert.ok(!fs.existsSync(path.join(dir, 'o.sock')), `${what}: it listened`);
}

test('the test configuration itself is valid (ostium -t)', async () => {
  const file = writeConfig('good.conf', goodLines);
  const r = await run(['-t', '-c', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /is valid/);
});

test('an unknown key is refused with the file, its line and the reason', async () => {
  const lines = withLine('no_such_key = 1', 3);
  const file = writeConfig('unknown.conf', lines);
  assertRefused(await run(['-c', file]), file, 3, /unknown key/i, 'unknown key on line 3');
});

test('bad values are refused with the file, the line and the reason', async () => {
  const cases = [
    ['workers = 0', 2, /range|number/i],
    ['workers = 257', 4, /range|number/i],
    ['workers = two', 3, /range|number/i],
    ['argon2_t = -1', 5, /range|number/i],
    ['development = maybe', 2, /yes or no/i],
    ['socket_mode = 0999', 3, /octal|range|number/i],
    ['log_level = loud', 4, /error|warn|info|debug|level/i],
    ['listen = nowhere', 2, /listen|unix|port|address/i],
    ['base_url = ftp://x', 3, /http|url/i],
    ['this line has no equals sign', 2, /key = value/],
  ];
  for (const [line, at, reason] of cases) {
    const file = writeConfig('bad.conf', withLine(line, at));
    assertRefused(await run(['-c', file]), file, at, reason, line);
  }
});

test('a key set twice is refused at its second line', async () => {
  const lines = [...goodLines];
  const workers = lines.findIndex((l) => /^workers\s*=/.test(l));
  assert.ok(workers >= 0 && workers + 2 <= lines.length);
  lines.splice(workers + 2, 0, 'workers = 3');
  const file = writeConfig('twice.conf', lines);
  assertRefused(await run(['-c', file]), file, workers + 3, /twice/i, 'workers twice');
});

// The good lines with development = no on line 2 and base_url = http://x
// on line 3.
function httpOutsideDevelopment() {
  const rest = goodLines.filter((l) => !/^\s*(development|base_url)\s*=/.test(l));
  return [rest[0], 'development = no', 'base_url = http://x', ...rest.slice(1)];
}

test('an http base_url outside development mode is refused', async () => {
  const file = writeConfig('http.conf', httpOutsideDevelopment());
  const r = await run(['-c', file]);
  assert.equal(r.signal, null, `accepted: ${r.stderr}`);
  assert.notEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+: .*https`), r.stderr);
  // The same base_url is fine in development mode.
  const dev = writeConfig('http-dev.conf', withLine('base_url = http://x', 3));
  const ok = await run(['-t', '-c', dev]);
  assert.equal(ok.code, 0, ok.stderr);
});

test('an http base_url outside development mode is refused at the line of base_url', async () => {
  const file = writeConfig('http-line.conf', httpOutsideDevelopment());
  assertRefused(await run(['-c', file]), file, 3, /https/, 'base_url http on line 3');
});

test('a missing configuration file is refused, naming it', async () => {
  const file = path.join(dir, 'missing.conf');
  const r = await run(['-c', file]);
  assert.equal(r.signal, null);
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.match(r.stderr, /cannot open|No such file/i);
});
