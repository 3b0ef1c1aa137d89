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
export declare const TCP_LISTEN = 10;
/** Rows of one /proc/net/tcp or tcp6 file; the header and malformed lines are skipped. */
export declare function parseProcNetTcp(text: string, family: 4 | 6): TcpSocket[];
/** Sockets listening on `port`, on any local address. */
export declare function listenersOn(sockets: readonly TcpSocket[], port: number): TcpSocket[];
/** The inode a /proc/PID/fd link names (`socket:[12345]`), or null for any other file. */
export declare function socketInode(link: string): number | null;
