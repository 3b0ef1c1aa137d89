/** Null when a connection was made, else why not. */
export declare function tcpConnect(host: string, port: number, timeoutMs: number): Promise<string | null>;
