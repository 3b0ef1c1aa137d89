/** File name the hook must have: Python's site module imports `sitecustomize` at startup. */
export declare const PYTHON_HOOK_FILE = "sitecustomize.py";
/**
 * The hook's Python source. Environment it reads: LEAKGATE_TRACEMALLOC_DIR (required: where it
 * writes hello-<pid>.json, snapshot-<pid>-<seq>.jsonl, and polls `request`),
 * LEAKGATE_TRACEMALLOC_FRAMES (frames per traceback, default 1), LEAKGATE_TRACEMALLOC_TOP (sites
 * listed per snapshot, default 1000).
 */
export declare const PYTHON_HOOK_SOURCE: string;
