export interface BoundedOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs: number;
    /** Written to stdin, which is then closed; stdin is closed at once without it. */
    input?: string;
    /** Run in its own process group and kill the group, so helpers it started (ssh, git-remote-https) go too. */
    group?: boolean;
    /** Stdout beyond this kills the program (overflow: true). Default 64 MiB. */
    maxOutput?: number;
}
export interface BoundedResult {
    stdout: string;
    stderr: string;
    code: number | null;
    signal: NodeJS.Signals | null;
    timedOut: boolean;
    overflow: boolean;
}
export declare function runBounded(file: string, args: readonly string[], opts: BoundedOptions): Promise<BoundedResult>;
