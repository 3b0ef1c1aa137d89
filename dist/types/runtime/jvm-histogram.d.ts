/** One row of a class histogram. */
export interface HistogramRow {
    /** As printed: `java.lang.String`, `[B`, `Leak$SessionRecord`, `[Ljava.lang.Object;`. */
    name: string;
    /** `java.base@17.0.15`; absent for classes of the class path (the unnamed module) and on Java 8. */
    module?: string;
    instances: number;
    bytes: number;
}
export interface ClassHistogram {
    rows: HistogramRow[];
    totalInstances: number;
    totalBytes: number;
}
/** Growth of one class between two histograms. */
export interface ClassGrowth {
    name: string;
    module?: string;
    countDelta: number;
    bytesDelta: number;
    countEnd: number;
    bytesEnd: number;
    /** A class of the class path (the app or its libraries), not of the JDK's modules nor an array. */
    app: boolean;
}
export interface HistogramDiff {
    /** Classes whose bytes grew, most first, at most `top`. */
    growing: ClassGrowth[];
    /** Application classes (see ClassGrowth.app) whose bytes grew, most first, at most `top`. */
    growingApp: ClassGrowth[];
    totalBytesDelta: number;
    totalInstancesDelta: number;
}
/**
 * Parses the output of `jcmd <pid> GC.class_histogram` (Java 9+, rows with a `(module)` suffix) or
 * of Java 8's (no module). The leading `<pid>:` line is allowed. Rows of one class name loaded by
 * several class loaders stay separate rows. `source` names the output in error messages; throws
 * an Error naming the line when the table or its Total line is missing or malformed.
 */
export declare function parseClassHistogram(text: string, source?: string): ClassHistogram;
/** True for a class of the class path: no module (named modules are the JDK's) and not an array. */
export declare function isAppClass(row: {
    name: string;
    module?: string;
}): boolean;
/**
 * Growth per class (name and module; rows of several class loaders summed) from histogram `a` to
 * `b`: only classes whose bytes grew, most bytes first, then by name.
 */
export declare function diffHistograms(a: ClassHistogram, b: ClassHistogram, top: number): HistogramDiff;
/**
 * Which process of the app's tree (root first, as scanProcessTree lists it) to ask for histograms:
 * the first JVM that has no JVM below it. So the root when it is the only JVM; the app's JVM when a
 * build tool's JVM (mvn spring-boot:run, gradle run) started it as a child. Null when there is none.
 */
export declare function chooseJvmProcess(tree: ReadonlyArray<{
    pid: number;
    ppid: number;
}>, isJvm: (pid: number) => boolean): number | null;
