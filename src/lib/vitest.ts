// `import 'leakgate/vitest'` (in a test file or setupFiles): registers expect(fn).not.toLeak(opts) with Vitest.
import { expect } from 'vitest';
import { toLeak } from './matcher.js';

expect.extend({ toLeak });
