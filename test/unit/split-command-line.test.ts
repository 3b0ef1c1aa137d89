import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCommandLine } from '../../src/process/split-command-line.js';

const rows: { line: string; args: string[] }[] = [
  { line: 'node server.js', args: ['node', 'server.js'] },
  { line: '  python3   -m  http.server  ', args: ['python3', '-m', 'http.server'] },
  { line: `node "my app.js" 'a b'`, args: ['node', 'my app.js', 'a b'] },
  { line: 'echo $HOME; rm -rf /', args: ['echo', '$HOME;', 'rm', '-rf', '/'] },
  { line: 'a\\ b "c\\"d"', args: ['a b', 'c"d'] },
  { line: `x ''`, args: ['x', ''] },
];

for (const row of rows) {
  test(`splits ${JSON.stringify(row.line)} without expanding anything`, () => {
    assert.deepEqual(splitCommandLine(row.line), row.args);
  });
}

test('an unclosed quote or an empty line is an error', () => {
  assert.throws(() => splitCommandLine('node "server.js'), /unclosed " quote/);
  assert.throws(() => splitCommandLine('   '), /must name a program/);
});
