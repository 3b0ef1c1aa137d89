// Parses /proc/net/tcp and /proc/net/tcp6: which sockets listen on which port, and their inode, so the
// process holding a port can be found by matching the inode against /proc/PID/fd links. Pure: text in,
// rows out. Addresses are hex in the kernel's byte order: each 32-bit word is printed as the host sees
// it (little-endian on x86 and arm64), so 127.0.0.1 reads 0100007F.

export interface TcpSocket {
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number: 0x0A is LISTEN, 0x01 ESTABLISHED. */
  state: number;
  uid: number;
  /** The socket's inode: /proc/PID/fd/N links to `socket:[inode]`. 0 for sockets no process holds. */
  inode: number;
}

export const TCP_LISTEN = 0x0a;

/** Rows of one /proc/net/tcp or tcp6 file; the header and malformed lines are skipped. */
export function parseProcNetTcp(text: string, family: 4 | 6): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0] ?? '')) continue;
    const local = splitEndpoint(f[1] ?? '', family);
    const remote = splitEndpoint(f[2] ?? '', family);
    const state = Number.parseInt(f[3] ?? '', 16);
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (!local || !remote || !Number.isInteger(state) || !Number.isInteger(uid) || !Number.isInteger(inode)) continue;
    out.push({ family, localAddress: local.address, localPort: local.port, remoteAddress: remote.address, remotePort: remote.port, state, uid, inode });
  }
  return out;
}

/** Sockets listening on `port`, on any local address. */
export function listenersOn(sockets: readonly TcpSocket[], port: number): TcpSocket[] {
  return sockets.filter((s) => s.state === TCP_LISTEN && s.localPort === port && s.inode > 0);
}

/** The inode a /proc/PID/fd link names (`socket:[12345]`), or null for any other file. */
export function socketInode(link: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

function splitEndpoint(text: string, family: 4 | 6): { address: string; port: number } | null {
  const [hex, portHex] = text.split(':');
  const width = family === 4 ? 8 : 32;
  if (hex === undefined || portHex === undefined || hex.length !== width || !/^[0-9A-Fa-f]+$/.test(hex) || !/^[0-9A-Fa-f]{4}$/.test(portHex)) return null;
  return { address: family === 4 ? ipv4(hex) : ipv6(hex), port: Number.parseInt(portHex, 16) };
}

/** Bytes of each 32-bit word, reversed from the kernel's little-endian print. */
function wordBytes(word: string): number[] {
  const bytes = [0, 2, 4, 6].map((i) => Number.parseInt(word.slice(i, i + 2), 16));
  return bytes.reverse();
}

function ipv4(hex: string): string {
  return wordBytes(hex).join('.');
}

function ipv6(hex: string): string {
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8)));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // IPv4-mapped (::ffff:a.b.c.d) reads as the IPv4 address it is.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  return compress(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes '::'. */
function compress(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j += 1;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
