import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutputTail } from '../../src/target/output-tail.js';

describe('OutputTail', () => {
  it('splits chunks into lines, joining a line split across chunks', () => {
    const tail = new OutputTail();
    tail.push('hel');
    tail.push('lo\nwor');
    assert.deepEqual(tail.lines(), ['hello']);
    tail.push('ld\n\nlast');
    assert.deepEqual(tail.lines(), ['hello', 'world', '']);
    tail.end();
    assert.deepEqual(tail.lines(), ['hello', 'world', '', 'last']);
  });

  it('strips the CR of CRLF, also when CR and LF arrive in different chunks', () => {
    const tail = new OutputTail();
    tail.push('a\r\nb\r');
    tail.push('\nc\rd\n');
    assert.deepEqual(tail.lines(), ['a', 'b', 'c\rd']);
  });

  it('keeps only the last maxLines lines, oldest first', () => {
    const tail = new OutputTail({ maxLines: 3 });
    for (let i = 1; i <= 7; i++) tail.push(`line ${i}\n`);
    assert.deepEqual(tail.lines(), ['line 5', 'line 6', 'line 7']);
    assert.equal(tail.totalLines, 7);
  });

  it('truncates long lines and says how much was dropped, however the line was chunked', () => {
    const tail = new OutputTail({ maxLineLength: 10 });
    tail.push('x'.repeat(25) + '\r\n');
    for (let i = 0; i < 5; i++) tail.push('y'.repeat(5));
    tail.push('\nshort\n');
    assert.deepEqual(tail.lines(), [`${'x'.repeat(10)}… [15 more characters]`, `${'y'.repeat(10)}… [15 more characters]`, 'short']);
  });

  it('keeps a partial line bounded even when no newline ever comes', () => {
    const tail = new OutputTail({ maxLineLength: 100 });
    for (let i = 0; i < 1000; i++) tail.push('z'.repeat(1000));
    tail.end();
    assert.deepEqual(tail.lines(), [`${'z'.repeat(100)}… [999900 more characters]`]);
  });

  it('decodes UTF-8 characters split across byte chunks', () => {
    const tail = new OutputTail();
    const bytes = Buffer.from('grüß 🚀\n', 'utf8');
    for (const b of bytes) tail.push(Buffer.from([b]));
    assert.deepEqual(tail.lines(), ['grüß 🚀']);
  });

  it('keeps partial lines per stream, so stderr does not cut a stdout line', () => {
    const tail = new OutputTail();
    tail.push('out-a', 'stdout');
    tail.push('err line\n', 'stderr');
    tail.push('-b\n', 'stdout');
    assert.deepEqual(tail.lines(), ['err line', 'out-a-b']);
    tail.push('no newline', 'stderr');
    tail.end('stderr');
    assert.deepEqual(tail.lines(), ['err line', 'out-a-b', 'no newline']);
  });

  it('tells listeners about each complete line until they unsubscribe', () => {
    const tail = new OutputTail();
    const seen: string[] = [];
    const off = tail.onLine((line) => seen.push(line));
    tail.push('one\ntw');
    assert.deepEqual(seen, ['one']);
    tail.push('o\n');
    off();
    tail.push('three\n');
    assert.deepEqual(seen, ['one', 'two']);
  });

  it('goes on capturing when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const tail = new OutputTail({ onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    tail.onLine(() => {
      throw new Error('bad listener');
    });
    tail.onLine((line) => seen.push(line));
    tail.push('a\nb\n');
    assert.deepEqual(tail.lines(), ['a', 'b']);
    assert.deepEqual(seen, ['a', 'b']);
    assert.equal(errors.length, 2);
  });

  it('emits nothing for an empty stream end', () => {
    const tail = new OutputTail();
    tail.push('done\n');
    tail.end();
    tail.end();
    assert.deepEqual(tail.lines(), ['done']);
  });
});
