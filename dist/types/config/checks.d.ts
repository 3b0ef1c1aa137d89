/** Where a raw value came from, so an error can say "flag --duration" rather than a YAML path. */
export type SourceLabels = Record<string, string>;
/** Deep-merges plain objects; arrays and scalars in `over` replace those in `base`. */
export declare function mergeRaw(base: unknown, over: unknown): unknown;
export declare function isPlainObject(v: unknown): v is Record<string, unknown>;
/** Collects every problem, so a user fixes their config in one go rather than one error a run. */
export declare class Problems {
    private readonly fileLabel;
    private readonly labels;
    readonly list: string[];
    constructor(fileLabel: string, labels: SourceLabels);
    add(path: string, value: unknown, valid: string): void;
    raw(message: string): void;
}
export declare function show(value: unknown): string;
export declare function obj(v: unknown, path: string, keys: string[], p: Problems): Record<string, unknown>;
export declare function str(v: unknown, path: string, dflt: string, p: Problems): string;
export declare function bool(v: unknown, path: string, dflt: boolean, p: Problems): boolean;
export interface Range {
    min?: number;
    max?: number;
}
export declare function inRange(n: number, r: Range): boolean;
export declare function rangeText(r: Range): string;
export declare function toNumber(v: unknown): number | undefined;
export declare function num(v: unknown, path: string, dflt: number, p: Problems, r?: Range): number;
export declare function int(v: unknown, path: string, dflt: number, p: Problems, r?: Range): number;
export declare const UNIT_MS: Record<string, number>;
/** Parses "30", 30, "30s", "500ms", "2m" into milliseconds; bare numbers are in `bareUnit`. */
export declare function parseDuration(v: unknown, bareUnit: 'ms' | 's'): number | undefined;
export declare function duration(v: unknown, path: string, dflt: number, p: Problems, r: Range, bare: 'ms' | 's'): number;
export declare function fmtDur(ms: number): string;
export declare function seconds(v: unknown, path: string, dflt: number, p: Problems, r: Range): number;
export declare function millis(v: unknown, path: string, dflt: number, p: Problems, r: Range): number;
export declare const BYTE_UNITS: Record<string, number>;
/** Parses 536870912, "512MiB", "512 MB", "1.5GiB" into bytes. */
export declare function parseBytes(v: unknown): number | undefined;
export declare function bytes(v: unknown, path: string, dflt: number, p: Problems, r: Range): number;
export declare function pathList(v: unknown, path: string, p: Problems): string[];
export declare function oneOf<T extends string>(v: unknown, path: string, values: readonly T[], dflt: T, p: Problems): T;
