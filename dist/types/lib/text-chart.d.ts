export declare function textChart(values: readonly number[], opts?: {
    rows?: number;
    width?: number;
}): string[];
