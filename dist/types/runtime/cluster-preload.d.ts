/** The preload's path: written once per leakgate process into its own temp directory, removed at exit. */
export declare function clusterPreloadPath(): string;
/** NODE_OPTIONS with the preload required (quoted when its path has whitespace, as NODE_OPTIONS parses quotes). */
export declare function withClusterPreload(nodeOptions: string, path?: string): string;
