/** An executable regular file (not a directory, not a file without the x bit). */
export declare function isExecutableFile(path: string): boolean;
/**
 * The full path of `name`, or null. Empty PATH entries are skipped and an unset PATH finds nothing; `cwd` resolves
 * names with a slash. `isExecutable` is injectable for tests.
 */
export declare function findExecutable(name: string, path: string | undefined, isExecutable?: (file: string) => boolean, cwd?: string): string | null;
