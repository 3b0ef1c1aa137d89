// Loading a leakgate.yml in unit tests: the config as the validator returns it, or the message of the ConfigError it
// throws (failing the test when the config is accepted instead).
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';

export const loadTestConfig = (file: unknown) => loadConfig({ file, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides: {}, overrideLabels: {} });

export function configErrorOf(file: unknown): string {
  try {
    loadTestConfig(file);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  return assert.fail('expected the config to be rejected');
}
