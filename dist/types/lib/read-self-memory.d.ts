export interface SelfMemory {
    heapBytes: number;
    anonBytes: number | null;
}
export declare function readSelfMemory(): SelfMemory;
