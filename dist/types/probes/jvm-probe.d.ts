import { type Logger } from '../core/logger.js';
import { type ClassHistogram } from '../runtime/jvm-histogram.js';
import type { RuntimeEvidence } from './evidence.js';
import { type TrialProbe } from './probe.js';
export interface JvmProbeOptions {
    /** Classes listed in the evidence (plus up to 5 application classes below them). Default 15. */
    top?: number;
    logger?: Logger;
    /** The jcmd to run; default: `jcmd` on PATH, else $JAVA_HOME/bin/jcmd. */
    jcmd?: string;
    /** Per jcmd call. Default 60 s (a full GC of a large heap takes seconds). */
    jcmdTimeoutMs?: number;
    /**
     * Keep the heap from shrinking after the histograms' full GCs (-XX:MaxHeapFreeRatio=100 through
     * JDK_JAVA_OPTIONS). Without it G1 gives memory back at the first histogram (RssAnon 379 -> 107 MB
     * on the clean example) and the regrowth that follows looks like a leak. Default true.
     */
    keepHeap?: boolean;
    /** Classes that grew by less are left out, bytes. Default 1024. */
    minBytesDelta?: number;
    /** Classes that grew by less per request served between the histograms are left out, bytes. Default 8. */
    minBytesPerRequest?: number;
    /**
     * Interval of heap readings after a full GC (`jcmd <pid> GC.run` then `GC.heap_info`, one jcmd), ms; 0 = none.
     * Each reading costs the app a full GC (18-105 ms measured for 7-77 MB live) and leakgate a jcmd start (~0.3 s of
     * CPU): 1.5 s keeps the app's pauses to a few % and still gives 15 readings after a 30 s run's warm-up. Default 1500.
     */
    heapIntervalMs?: number;
    /** The runtime was only guessed from the command (runtime: auto): without jcmd, warn and measure without it. */
    optional?: boolean;
}
/** One histogram as the probe took it. */
export interface TakenHistogram {
    histogram: ClassHistogram;
    pid: number;
    /** ctx.now() when jcmd returned. */
    t: number;
    requests: number;
    /** jcmd round trip (starting jcmd's own JVM, attach, full GC, the table), ms. */
    ms: number;
}
/**
 * Creates the probe. jcmd attaches through /tmp/.java_pid<pid> (created on the first attach,
 * after a SIGQUIT handshake; -XX:+StartAttachListener creates it at startup): jcmd must run as the
 * JVM's user or root (root attaching to a JVM run as nobody works, checked with Java 17) and see
 * the JVM's /tmp; -XX:+DisableAttachMechanism or -Xrs make the JVM unattachable. Each histogram
 * costs a full GC (18-105 ms stop-the-world measured for 7-77 MB live) plus ~200-350 ms of jcmd.
 */
export declare function createJvmProbe(opts?: JvmProbeOptions): TrialProbe;
/**
 * The evidence for two histograms: the top classes by bytes grown, then application classes not
 * among them; classes that grew by less than minBytesDelta, or minBytesPerRequest per request, left out.
 */
export declare function jvmEvidence(a: TakenHistogram, b: TakenHistogram, opts: {
    top: number;
    minBytesDelta: number;
    minBytesPerRequest?: number;
    notes?: readonly string[];
}): RuntimeEvidence;
/** The flag that keeps the heap committed after a full GC. */
export declare const KEEP_HEAP_FLAG = "-XX:MaxHeapFreeRatio=100";
/**
 * JDK_JAVA_OPTIONS with KEEP_HEAP_FLAG first, so the user's own options (and the command line,
 * which the launcher reads after JDK_JAVA_OPTIONS) still win. Read by the `java` launcher of Java
 * 9+ only (not by Java 8, nor by a custom launcher).
 */
export declare function keepHeapJavaOptions(existing: string | undefined): string;
/** `jcmd` along PATH, else $JAVA_HOME/bin/jcmd; '' when neither is executable. */
export declare function findJcmd(env: NodeJS.ProcessEnv): string;
