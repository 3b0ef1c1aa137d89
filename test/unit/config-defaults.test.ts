// Defaults a user expects: a readiness port alone implies the load URL, and a readiness check given as a flag or
// input replaces the config file's instead of clashing with it. Rows: { what, file, flags, expected }.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { buildOverrides, type OverrideName } from '../../src/config/overrides.js';

type Flags = Partial<Record<OverrideName, string>>;

function configFrom(file: Record<string, unknown>, flags: Flags) {
  const { overrides, labels } = buildOverrides(flags, (n) => `flag --${n}`);
  return loadConfig({ file, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides, overrideLabels: labels });
}

const command = ['node', 'server.js'];

describe('the load URL a readiness check implies', () => {
  const rows: { what: string; file: Record<string, unknown>; flags: Flags; url: string }[] = [
    { what: '--ready-port alone', file: {}, flags: { command: 'node server.js', 'ready-port': '3000' }, url: 'http://127.0.0.1:3000/' },
    { what: 'app.ready.port in the file', file: { app: { command, ready: { port: 8080 } } }, flags: {}, url: 'http://127.0.0.1:8080/' },
    { what: 'app.ready.port with its host', file: { app: { command, ready: { port: 8080, host: 'localhost' } } }, flags: {}, url: 'http://localhost:8080/' },
    { what: 'an IPv6 ready host is bracketed', file: { app: { command, ready: { port: 8080, host: '::1' } } }, flags: {}, url: 'http://[::1]:8080/' },
    { what: '--ready-url alone: its origin', file: {}, flags: { command: 'node server.js', 'ready-url': 'http://127.0.0.1:4000/healthz' }, url: 'http://127.0.0.1:4000/' },
    { what: 'an explicit load url wins over the port', file: { app: { command, ready: { port: 8080 } }, load: { url: 'http://127.0.0.1:8080/api' } }, flags: {}, url: 'http://127.0.0.1:8080/api' },
    { what: '--url wins over --ready-port', file: {}, flags: { command: 'x', 'ready-port': '3000', url: 'http://127.0.0.1:3000/items' }, url: 'http://127.0.0.1:3000/items' },
    { what: 'a log readiness with an explicit url', file: { app: { command, ready: { log: 'listening' } }, load: { url: 'http://127.0.0.1:5/' } }, flags: {}, url: 'http://127.0.0.1:5/' },
  ];
  for (const row of rows) {
    it(row.what, () => assert.equal(configFrom(row.file, row.flags).load.url, row.url));
  }

  it('a log readiness alone still needs load.url, and says what would imply it', () => {
    assert.throws(() => configFrom({ app: { command, ready: { log: 'listening' } } }, {}), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /'load\.url' is required .* unless 'app\.ready\.url' \(its origin is used\) or 'app\.ready\.port' \(http:\/\/host:port\/\) is set/);
      return true;
    });
  });
});

describe('a readiness flag replaces the file\'s readiness check', () => {
  const inFile = { app: { command, ready: { url: 'http://127.0.0.1:3000/healthz', timeout: '45s', host: 'localhost' } } };
  const rows: { what: string; file: Record<string, unknown>; flags: Flags; ready: Record<string, unknown>; url: string }[] = [
    { what: '--ready-port over ready.url', file: inFile, flags: { 'ready-port': '3001' }, ready: { port: 3001, host: 'localhost', timeoutMs: 45_000 }, url: 'http://localhost:3001/' },
    { what: '--ready-log over ready.url (load url given)', file: inFile, flags: { 'ready-log': 'listening on \\d+', url: 'http://127.0.0.1:3000/' }, ready: { log: 'listening on \\d+', host: 'localhost', timeoutMs: 45_000 }, url: 'http://127.0.0.1:3000/' },
    { what: '--ready-url over ready.port', file: { app: { command, ready: { port: 9 } } }, flags: { 'ready-url': 'http://127.0.0.1:7/up' }, ready: { url: 'http://127.0.0.1:7/up', host: '127.0.0.1', timeoutMs: 30_000 }, url: 'http://127.0.0.1:7/' },
    { what: '--ready-timeout alone keeps the file\'s check', file: inFile, flags: { 'ready-timeout': '5s' }, ready: { url: 'http://127.0.0.1:3000/healthz', host: 'localhost', timeoutMs: 5000 }, url: 'http://127.0.0.1:3000/' },
  ];
  for (const row of rows) {
    it(row.what, () => {
      const c = configFrom(row.file, row.flags);
      assert.deepEqual({ ...c.app.ready }, row.ready);
      assert.equal(c.load.url, row.url);
    });
  }

  it('two readiness flags at once still clash', () => {
    assert.throws(() => configFrom(inFile, { 'ready-port': '3001', 'ready-log': 'up' }), /'app\.ready'.*must set only one of url, port or log/s);
  });

  it('two readiness checks in the file still clash', () => {
    assert.throws(() => configFrom({ app: { command, ready: { url: 'http://127.0.0.1:1/', port: 1 } } }, {}), /must set only one of url, port or log/);
  });
});
