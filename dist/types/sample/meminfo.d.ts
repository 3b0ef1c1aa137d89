/** /proc/meminfo figures, bytes. */
export interface Meminfo {
    total: number;
    free: number;
    /** MemAvailable: what new allocations can get without swapping (Linux 3.14+). */
    available: number;
    buffers: number;
    cached: number;
    swapTotal: number;
    swapFree: number;
}
/** Parses /proc/meminfo ("MemTotal:  24684096 kB" lines); throws naming the missing or malformed field. */
export declare function parseMeminfo(text: string): Meminfo;
/** The machine's memory now. */
export declare function readMeminfo(procRoot?: string): Meminfo;
