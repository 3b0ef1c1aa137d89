import { type MeasureLeakOptions } from './measure-leak.js';
export interface ToLeakOptions extends MeasureLeakOptions {
}
export declare function toLeak(received: unknown, options?: ToLeakOptions): Promise<{
    pass: boolean;
    message: () => string;
}>;
