// Missing-program messages: they name the program and how to install it, and never print PATH itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installHint, notOnPathMessage } from '../../src/process/install-hint.js';

describe('notOnPathMessage', () => {
  const longPath = ['/root/.secret-tool/bin', '/opt/private/bin', '/usr/local/bin', '/usr/bin', '', '/bin'].join(':');
  const rows: { what: string; name: string; path: string | undefined; expected: string }[] = [
    {
      what: 'a known load tool',
      name: 'wrk',
      path: longPath,
      expected: "'wrk' was not found on PATH (5 directories searched); install it with: sudo apt-get install -y wrk (Debian/Ubuntu)",
    },
    {
      what: 'a helper that another package provides',
      name: 'jcmd',
      path: '/usr/bin',
      expected: "'jcmd' was not found on PATH (1 directory searched); install it with: sudo apt-get install -y openjdk-17-jdk-headless (Debian/Ubuntu)",
    },
    {
      what: 'an unknown program',
      name: 'my-server',
      path: longPath,
      expected: "'my-server' was not found on PATH (5 directories searched); install it, or give its full path",
    },
    {
      what: 'an unset PATH (execvp searches its default)',
      name: 'valgrind',
      path: undefined,
      expected: "'valgrind' was not found on PATH (PATH is unset, so /usr/bin:/bin was searched); install it with: sudo apt-get install -y valgrind (Debian/Ubuntu)",
    },
  ];
  for (const row of rows) {
    it(row.what, () => {
      const message = notOnPathMessage(row.name, row.path);
      assert.equal(message, row.expected);
      if (row.path !== undefined) assert.ok(!message.includes('/usr/local/bin') && !message.includes('.secret-tool'), 'PATH is not printed');
    });
  }
});

describe('installHint', () => {
  it('maps commands to the Debian package that holds them, and knows nothing of prototype keys', () => {
    assert.equal(installHint('vgdb'), 'install it with: sudo apt-get install -y valgrind (Debian/Ubuntu)');
    assert.equal(installHint('heaptrack_print'), 'install it with: sudo apt-get install -y heaptrack (Debian/Ubuntu)');
    assert.equal(installHint('toString'), undefined);
    assert.equal(installHint('k6'), undefined, 'k6 is not in Debian; its driver says how to get it');
  });
});
