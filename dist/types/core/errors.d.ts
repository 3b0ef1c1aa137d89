/** Invalid configuration: names the field, the value and what would be valid. */
export declare class ConfigError extends Error {
    name: string;
}
/** The app could not be measured: it never became ready, crashed, or the load failed. */
export declare class MeasureError extends Error {
    name: string;
}
/** Message of any thrown value, Error or not. */
export declare function errorMessage(err: unknown): string;
