/**
 * Bytes in use in the heap. G1, ZGC and Shenandoah print one heap line ("garbage-first heap   total 40960K, used
 * 7409K [...]"); the Parallel and Serial collectors print one line per generation ("PSYoungGen total 76288K, used
 * 2621K", "ParOldGen total 175104K, used 4433K"), summed here. Metaspace and class space are not the heap.
 */
export declare function parseHeapInfoUsed(text: string, source?: string): number;
