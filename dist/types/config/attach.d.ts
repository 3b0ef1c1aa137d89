import { type Problems } from './checks.js';
export declare const CONTAINER_ENGINES: readonly ["auto", "docker", "podman"];
export type ContainerEngine = (typeof CONTAINER_ENGINES)[number];
/** What to attach to: exactly one of these. */
export type AttachSpec = {
    kind: 'pid';
    pid: number;
} | {
    kind: 'pid-file';
    path: string;
} | {
    kind: 'cgroup';
    path: string;
} | {
    kind: 'container';
    name: string;
    engine: ContainerEngine;
};
export declare const ATTACH_KEYS: string[];
/** app.attach, or undefined when absent; problems for a mapping that does not name exactly one target. */
export declare function attachOf(v: unknown, p: Problems): AttachSpec | undefined;
/** app.restart: an argument array run (no shell) before every trial after the first; undefined when absent. */
export declare function restartOf(v: unknown, p: Problems): string[] | undefined;
/** What an attached run cannot do, given the raw settings: each names the key that conflicts. */
export interface AttachConflicts {
    command: unknown;
    shell: unknown;
    env: unknown;
    readyLog: unknown;
    nativeTool: string;
    runtimeKind: string;
    runtimeChosen: 'auto' | 'configured';
    cgroupLimit: number | undefined;
    ab: boolean;
}
/** Problems for settings that need leakgate to start the app, when app.attach is set; app.command xor app.attach. */
export declare function attachProblems(attach: AttachSpec | undefined, c: AttachConflicts, p: Problems): void;
