// A function that retains a known number of bytes per call, for leak tests and the library benchmark: 8-byte slots of
// preallocated 1024-slot chunks, so the heap grows smoothly (a growing array would grow in steps of its capacity).
export function leaker(bytes: number): () => void {
  const chunks: unknown[][] = [];
  let chunk: unknown[] = [];
  let used = 1024;
  return () => {
    for (let i = 0; i < bytes / 8; i++) {
      if (used === 1024) {
        chunk = new Array(1024);
        chunks.push(chunk);
        used = 0;
      }
      chunk[used++] = i;
    }
  };
}
