import type { LeakResult } from './measure-leak.js';
export declare function describeLeak(r: LeakResult): string;
