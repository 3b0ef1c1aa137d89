/** Valgrind's four leak kinds, in leakgate's spelling (XML `Leak_DefinitelyLost` -> 'definitely-lost'). */
export type LeakKind = 'definitely-lost' | 'indirectly-lost' | 'possibly-lost' | 'still-reachable';
/** Most severe first: the order reports list them in. */
export declare const LEAK_KINDS: readonly LeakKind[];
/** One frame of a valgrind stack, innermost (the allocator) first. Every field may be missing. */
export interface StackFrame {
    /** Function name as valgrind prints it (demangled C++, e.g. `Box<int>::make()`); absent for `???`. */
    fn?: string;
    /** Source file as valgrind prints it (XML: base name; text: as printed, may hold a directory). */
    file?: string;
    line?: number;
    /** Source directory (XML `<dir>`). */
    dir?: string;
    /** Object (executable or shared library) the code is in, full path. */
    obj?: string;
    /** Instruction address, e.g. `0x1091A0`. Changes with every rebuild; never part of a fingerprint. */
    ip?: string;
}
/** One loss record: the blocks of one kind allocated at one stack. */
export interface LeakRecord {
    kind: LeakKind;
    /** Bytes of the record. For a definitely-lost record this includes the indirectly-lost bytes it points to. */
    bytes: number;
    /**
     * The indirectly-lost bytes included in `bytes` ("48 (8 direct, 40 indirect) bytes"): valgrind lists them again
     * as their own indirectly-lost records, so a kind total counts bytes - indirectBytes (its LEAK SUMMARY does).
     */
    indirectBytes?: number;
    blocks: number;
    stack: StackFrame[];
    /** Stable id of the leak site (see fingerprint.ts). */
    fingerprint: string;
    /** Human label of the site, e.g. "definitely-lost at leak_one (loop.c:4) <- handle (loop.c:5)". */
    label: string;
    /** Growth since the previous vgdb `leak_check ... increased` (absent in XML, which has no deltas). */
    bytesIncrease?: number;
    blocksIncrease?: number;
}
/** Leak records with the same fingerprint merged into one site. */
export interface LeakSite {
    fingerprint: string;
    kind: LeakKind;
    label: string;
    /** Sums over the merged records. */
    bytes: number;
    /** Sum of the merged records' indirectBytes; absent when none had any. */
    indirectBytes?: number;
    blocks: number;
    /** How many loss records were merged (valgrind splits one site when deeper frames differ). */
    records: number;
    /** Sums over the merged records that had deltas; absent when none had. */
    bytesIncrease?: number;
    blocksIncrease?: number;
    /** The frames the fingerprint was computed from (allocators skipped), without addresses. */
    topFrames: StackFrame[];
    /** The full stack of the first merged record, allocators included, without addresses (for suppressions). */
    stack: StackFrame[];
}
/** What a baseline must provide per site: the fingerprint, and optionally a kind and label to report. */
export interface LeakSiteRef {
    fingerprint: string;
    kind?: LeakKind;
    label?: string;
}
/** Current sites against a baseline's. */
export interface LeakComparison {
    /** In the current run, not in the baseline: what a gate fails on (usually only 'definitely-lost'). */
    newSites: LeakSite[];
    /** In both: known leaks that remain. */
    knownSites: LeakSite[];
    /** In the baseline, not in the current run. */
    fixedSites: LeakSiteRef[];
}
/** A memcheck error that is not a leak (InvalidRead, UninitCondition, ...). */
export interface MemcheckError {
    kind: string;
    /** `<what>` or `<xwhat><text>`. */
    what: string;
    /** Valgrind's id of the error context, e.g. `0x0`. */
    unique?: string;
    /** How many times it occurred (from `<errorcounts>`; 1 when the file has none, e.g. truncated). */
    count: number;
    /** The first `<stack>`: where the error happened. */
    stack: StackFrame[];
}
/** A suppression that matched, from `<suppcounts>`. */
export interface SuppressionCount {
    name: string;
    count: number;
}
/** Everything leakgate reads from one memcheck XML file. */
export interface MemcheckResult {
    /** Where the XML came from (file path or a description), for messages. */
    source: string;
    /** `<protocoltool>`: 'memcheck' (the parser refuses other tools); absent only in a truncated file. */
    tool?: string;
    protocolVersion?: number;
    pid?: number;
    ppid?: number;
    /** The last `<status><state>`: RUNNING until the program ended, FINISHED after. */
    status?: 'RUNNING' | 'FINISHED';
    /** The program's command line (`<argv>`: exe then args). */
    argv?: string[];
    /** The signal that killed the program (`<fatal_signal>`), e.g. SIGTERM from leakgate's stop. */
    fatalSignal?: {
        signo: number;
        signame?: string;
    };
    leaks: LeakRecord[];
    /** Non-leak errors, in file order. */
    errors: MemcheckError[];
    /** Non-leak error occurrences by kind, e.g. { InvalidRead: 3 }. */
    errorCounts: Record<string, number>;
    suppressed: SuppressionCount[];
    /**
     * True when the file ended before `</valgrindoutput>` (valgrind killed mid-run) and the caller
     * allowed it: the result holds only the elements that were complete.
     */
    truncated: boolean;
}
/** The LEAK SUMMARY of a vgdb leak_check: per kind (and 'suppressed') bytes and blocks, with deltas. */
export interface LeakSummaryLine {
    bytes: number;
    blocks: number;
    bytesIncrease?: number;
    blocksIncrease?: number;
}
export type LeakSummary = Partial<Record<LeakKind | 'suppressed', LeakSummaryLine>>;
/** What one vgdb `leak_check full reachable increased` printed. */
export interface VgdbLeakCheck {
    /** The pid in the `==PID==` prefix, when present. */
    pid?: number;
    /** Loss records shown: with `increased`, only those that grew since the previous check. */
    records: LeakRecord[];
    /** Absent when valgrind printed "All heap blocks were freed -- no leaks are possible". */
    summary?: LeakSummary;
    /** True when valgrind printed "All heap blocks were freed -- no leaks are possible". */
    noLeaks: boolean;
}
