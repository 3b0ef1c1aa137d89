/** Debian/Ubuntu package that provides each well-known command. */
export declare const DEBIAN_PACKAGES: Readonly<Record<string, string>>;
/** "install it with: sudo apt-get install -y wrk (Debian/Ubuntu)", or undefined for a command we do not know. */
export declare function installHint(name: string): string | undefined;
/**
 * "'wrk' was not found on PATH (8 directories searched); install it with: sudo apt-get install -y wrk
 * (Debian/Ubuntu)". `pathVar` undefined means execvp's default, which is named since it is short and fixed.
 */
export declare function notOnPathMessage(name: string, pathVar: string | undefined, defaultPath?: string): string;
