import { type FingerprintOptions } from './fingerprint.js';
import type { VgdbLeakCheck } from './memcheck-types.js';
export interface VgdbParseOptions {
    /** How leak fingerprints are computed: use the same options as for the XML. */
    fingerprint?: FingerprintOptions;
}
/**
 * Parses the text of a monitor `leak_check full reachable increased` (with or without the
 * `==PID==` prefixes): loss records with their (+N) deltas and stacks, and the LEAK SUMMARY.
 * Fingerprints are computed as for the XML, so both sources name a site the same way. Throws an
 * Error naming `source` and the line when a loss record, frame or summary line is malformed, or
 * when the text holds no leak check output at all.
 */
export declare function parseVgdbLeakCheck(text: string, source?: string, opts?: VgdbParseOptions): VgdbLeakCheck;
export interface RunVgdbOptions {
    /** Kill vgdb and reject after this long. */
    timeoutMs: number;
    /** Default 'vgdb' (from PATH). */
    vgdbPath?: string;
    /**
     * vgdb --wait=N: keep looking for the valgrind gdbserver of that pid for up to N seconds. Needed
     * right after valgrind starts: its gdbserver FIFOs appear only after its first messages (measured:
     * vgdb ran as soon as "(action at startup) vgdb me" was printed found no FIFO). Default: no wait.
     */
    waitSeconds?: number;
}
/** The arguments runVgdbLeakCheck passes to vgdb. */
export declare function vgdbLeakCheckArgs(pid: number, waitSeconds?: number): string[];
/**
 * Runs `vgdb --pid=PID leak_check full reachable increased` and resolves with what it printed on
 * stdout (parse it with parseVgdbLeakCheck). Rejects with an Error naming the command when vgdb is
 * missing, exits non-zero (e.g. no valgrind with --vgdb=yes at that pid) or does not answer in time.
 */
export declare function runVgdbLeakCheck(pid: number, opts: RunVgdbOptions): Promise<string>;
