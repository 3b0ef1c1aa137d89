// What to tell a user whose program is not on PATH: the program's name and, for the tools leakgate's users
// commonly run (load generators, profilers, runtimes), the Debian package and the command that installs it.
// The message never prints PATH itself: it can be long and hold private directories, and the user needs the
// fix, not the search list.

/** Debian/Ubuntu package that provides each well-known command. */
export const DEBIAN_PACKAGES: Readonly<Record<string, string>> = {
  wrk: 'wrk',
  ab: 'apache2-utils',
  siege: 'siege',
  curl: 'curl',
  valgrind: 'valgrind',
  vgdb: 'valgrind',
  ms_print: 'valgrind',
  heaptrack: 'heaptrack',
  heaptrack_print: 'heaptrack',
  gcc: 'gcc',
  'g++': 'g++',
  make: 'make',
  java: 'openjdk-17-jdk-headless',
  javac: 'openjdk-17-jdk-headless',
  jcmd: 'openjdk-17-jdk-headless',
  python3: 'python3',
  python: 'python-is-python3',
  node: 'nodejs',
  npm: 'npm',
  go: 'golang-go',
  git: 'git',
  prometheus: 'prometheus',
  chromium: 'chromium',
  jeprof: 'libjemalloc-dev',
  'google-pprof': 'google-perftools',
};

/** "install it with: sudo apt-get install -y wrk (Debian/Ubuntu)", or undefined for a command we do not know. */
export function installHint(name: string): string | undefined {
  const pkg = Object.hasOwn(DEBIAN_PACKAGES, name) ? DEBIAN_PACKAGES[name] : undefined;
  return pkg === undefined ? undefined : `install it with: sudo apt-get install -y ${pkg} (Debian/Ubuntu)`;
}

/**
 * "'wrk' was not found on PATH (8 directories searched); install it with: sudo apt-get install -y wrk
 * (Debian/Ubuntu)". `pathVar` undefined means execvp's default, which is named since it is short and fixed.
 */
export function notOnPathMessage(name: string, pathVar: string | undefined, defaultPath = '/usr/bin:/bin'): string {
  const dirs = pathVar === undefined ? 0 : pathVar.split(':').filter((d) => d !== '').length;
  const searched = pathVar === undefined ? `PATH is unset, so ${defaultPath} was searched` : `${dirs} ${dirs === 1 ? 'directory' : 'directories'} searched`;
  const hint = installHint(name);
  return `'${name}' was not found on PATH (${searched})${hint === undefined ? '; install it, or give its full path' : `; ${hint}`}`;
}
