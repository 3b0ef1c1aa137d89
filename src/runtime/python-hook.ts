// The Python runtime probe's hook, shipped as a string so the bundled dist/ needs no extra file: the
// probe writes it as sitecustomize.py into a fresh directory it puts first on PYTHONPATH. What it does
// and why (a polled control file rather than a signal) is said in the source and in python-probe.ts.

/** File name the hook must have: Python's site module imports `sitecustomize` at startup. */
export const PYTHON_HOOK_FILE = 'sitecustomize.py';

/**
 * The hook's Python source. Environment it reads: LEAKGATE_TRACEMALLOC_DIR (required: where it
 * writes hello-<pid>.json, snapshot-<pid>-<seq>.jsonl, and polls `request`),
 * LEAKGATE_TRACEMALLOC_FRAMES (frames per traceback, default 1), LEAKGATE_TRACEMALLOC_TOP (sites
 * listed per snapshot, default 1000).
 */
export const PYTHON_HOOK_SOURCE = String.raw`# leakgate tracemalloc hook, loaded as sitecustomize through PYTHONPATH by leakgate's python probe.
# Starts tracemalloc, and in every process (forked workers included) runs a daemon thread that polls
# a control file; when leakgate asks for snapshot N it writes snapshot-<pid>-<N>.jsonl atomically.
# Then runs the sitecustomize that ours shadows, if there is one.
import os
import sys


def _leakgate_install():
    import fnmatch
    import json
    import linecache
    import threading
    import time
    import tokenize
    import tracemalloc

    out_dir = os.environ.get("LEAKGATE_TRACEMALLOC_DIR", "")
    if not out_dir:
        return
    try:
        frames = max(1, int(os.environ.get("LEAKGATE_TRACEMALLOC_FRAMES", "1")))
    except ValueError:
        frames = 1
    try:
        top = max(1, int(os.environ.get("LEAKGATE_TRACEMALLOC_TOP", "1000")))
    except ValueError:
        top = 1000
    poll = 0.2
    request_file = os.path.join(out_dir, "request")
    here = os.path.abspath(__file__)
    # Allocations by the machinery, and by this hook (linecache keeps the source lines it reads).
    ignored = [tracemalloc.__file__, linecache.__file__, tokenize.__file__, fnmatch.__file__, here,
               "<frozen importlib*>", "<unknown>"]
    state = {"done": 0}

    def write_atomically(name, text):
        final = os.path.join(out_dir, name)
        tmp = "%s.%d.tmp" % (final, os.getpid())
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, final)

    def hello():
        info = {"pid": os.getpid(), "ppid": os.getppid(), "argv": sys.argv[:8] if hasattr(sys, "argv") else [],
                "frames": tracemalloc.get_traceback_limit(), "python": sys.version.split()[0]}
        write_atomically("hello-%d.json" % os.getpid(), json.dumps(info) + "\n")

    def ignore(filename):
        for pattern in ignored:
            if fnmatch.fnmatch(filename, pattern):
                return True
        return False

    def snapshot(seq):
        started = time.perf_counter()
        # take_snapshot copies the traces in C, holding the GIL: the app's threads wait. The rest is
        # Python and shares the GIL with them. Filtering the few hundred sites rather than the traces
        # (Snapshot.filter_traces) is ~6x cheaper: 860 ms -> 150 ms for 70k live blocks.
        snap = tracemalloc.take_snapshot()
        taken = time.perf_counter()
        stats = [s for s in snap.statistics("lineno") if not ignore(s.traceback[0].filename)]
        del snap
        traced, peak = tracemalloc.get_traced_memory()
        overhead = tracemalloc.get_tracemalloc_memory()
        grouped = time.perf_counter()
        lines = []
        total = 0
        for s in stats:
            total += s.size
        for s in stats[:top]:
            frame = s.traceback[0]
            text = linecache.getline(frame.filename, frame.lineno).strip()
            lines.append(json.dumps({"file": frame.filename, "line": frame.lineno, "size": s.size,
                                     "count": s.count, "text": text[:200]}))
        header = {"leakgate": "tracemalloc", "version": 1, "pid": os.getpid(), "seq": seq,
                  "tracedBytes": traced, "peakBytes": peak, "overheadBytes": overhead, "filteredBytes": total, "sites": len(stats),
                  "listed": len(lines), "frames": tracemalloc.get_traceback_limit(),
                  "snapshotMs": round((taken - started) * 1000.0, 3),
                  "statisticsMs": round((grouped - taken) * 1000.0, 3),
                  "totalMs": round((time.perf_counter() - started) * 1000.0, 3)}
        write_atomically("snapshot-%d-%d.jsonl" % (os.getpid(), seq), "\n".join([json.dumps(header)] + lines) + "\n")

    def requested():
        try:
            with open(request_file, "r", encoding="utf-8") as f:
                return int(f.read().strip() or "0")
        except (OSError, ValueError):
            return 0

    def poller(me):
        while state.get("pid") == me:
            seq = requested()
            if seq > state["done"]:
                state["done"] = seq
                try:
                    snapshot(seq)
                except Exception as e:  # never take the app down
                    try:
                        write_atomically("error-%d-%d.txt" % (os.getpid(), seq), repr(e) + "\n")
                    except OSError:
                        pass
            time.sleep(poll)

    def start():
        state["pid"] = os.getpid()
        try:
            hello()
        except OSError:
            return
        t = threading.Thread(target=poller, args=(os.getpid(),), name="leakgate-tracemalloc", daemon=True)
        t.start()

    def start_in_child():
        # A forked worker has no thread but the one that forked: it starts a poller of its own, and
        # answers the current request too (its parent's answer was for the parent's pid).
        state["done"] = 0
        start()

    if not tracemalloc.is_tracing():
        tracemalloc.start(frames)
    # Compile the patterns now (re caches them): compiled during snapshot 1 they would show as growth.
    ignore(here)
    os.register_at_fork(after_in_child=start_in_child)
    start()


def _leakgate_chain():
    # Ours shadows any other sitecustomize: find the next one on sys.path and run it in our place.
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    _leakgate_install()
except Exception as _e:  # a broken hook must not stop the app
    sys.stderr.write("leakgate: tracemalloc hook failed: %r\n" % (_e,))
_leakgate_chain()
`;
