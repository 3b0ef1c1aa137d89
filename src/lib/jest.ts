// `leakgate/jest` in setupFilesAfterEach (or imported by a test file): registers expect(fn).not.toLeak(opts) with
// Jest's global expect.
import { toLeak } from './matcher.js';

declare const expect: { extend: (matchers: Record<string, unknown>) => void } | undefined;

if (typeof expect === 'undefined') throw new Error("leakgate/jest: Jest's global expect is not defined; load it from setupFilesAfterEach");
expect.extend({ toLeak });
