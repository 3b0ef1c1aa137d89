export type GcMethod = 'expose-gc' | 'inspector';
export interface ForceGc {
    method: GcMethod;
    collect: () => Promise<void>;
    close: () => void;
}
export declare function openForceGc(): ForceGc;
