/**
 * Socket address families (AF_UNSPEC 0 … AF_MCTP 45, names and numbers as in the kernel's
 * include/linux/socket.h) and socket types, each with a one-line summary and a risk level. The
 * network part of a policy is a set of families; this table says what each one reaches.
 * Pure data, no I/O.
 */
import type { Risk } from './risk.js';

/** One address family (the first argument of socket()). */
export interface AddressFamilyInfo {
  /** Value passed to socket(). */
  number: number;
  /** Kernel name, e.g. `AF_INET` (the PF_ names have the same numbers). */
  name: string;
  /** Other names for the same number (e.g. AF_LOCAL for AF_UNIX). */
  aliases?: readonly string[];
  /** What it is for, one plain line. */
  summary: string;
  /** How dangerous it is to allow (see risk.ts). */
  risk: Risk;
}

const RARE = 'Rarely used protocol: its kernel module is loaded on demand and old, little-audited code has had exploitable bugs.';

/** Every address family of Linux 6.18 in number order (AF_MAX is 46). */
export const addressFamilyTable: readonly AddressFamilyInfo[] = [
  { number: 0, name: 'AF_UNSPEC', risk: 'low', summary: 'No particular family; used in lookups, never for a real socket.' },
  { number: 1, name: 'AF_UNIX', aliases: ['AF_LOCAL', 'AF_FILE'], risk: 'low', summary: 'Local sockets between processes on the same machine (paths or abstract names); which peers are reachable depends on the socket paths allowed.' },
  { number: 2, name: 'AF_INET', risk: 'medium', summary: 'IPv4 networking: TCP, UDP, ICMP; reaches other machines and local services.' },
  { number: 3, name: 'AF_AX25', risk: 'high', summary: `Amateur radio AX.25. ${RARE}` },
  { number: 4, name: 'AF_IPX', risk: 'high', summary: `Novell IPX; removed in 4.18 (socket() fails on newer kernels). ${RARE}` },
  { number: 5, name: 'AF_APPLETALK', risk: 'high', summary: `AppleTalk DDP. ${RARE}` },
  { number: 6, name: 'AF_NETROM', risk: 'high', summary: `Amateur radio NET/ROM. ${RARE}` },
  { number: 7, name: 'AF_BRIDGE', risk: 'low', summary: 'Ethernet bridge; only a netlink message family, socket() with it fails.' },
  { number: 8, name: 'AF_ATMPVC', risk: 'high', summary: `ATM permanent virtual circuits. ${RARE}` },
  { number: 9, name: 'AF_X25', risk: 'high', summary: `X.25 packet networks. ${RARE}` },
  { number: 10, name: 'AF_INET6', risk: 'medium', summary: 'IPv6 networking: TCP, UDP, ICMPv6; reaches other machines and local services.' },
  { number: 11, name: 'AF_ROSE', risk: 'high', summary: `Amateur radio X.25 PLP (ROSE). ${RARE}` },
  { number: 12, name: 'AF_DECnet', risk: 'high', summary: `DECnet; removed in 6.1 (socket() fails on newer kernels). ${RARE}` },
  { number: 13, name: 'AF_NETBEUI', risk: 'low', summary: 'Reserved for NetBEUI; never implemented, socket() with it fails.' },
  { number: 14, name: 'AF_SECURITY', risk: 'low', summary: 'Pseudo family reserved for security callbacks; no sockets.' },
  { number: 15, name: 'AF_KEY', risk: 'high', summary: 'PF_KEY v2: manage IPsec keys and policies (needs CAP_NET_ADMIN).' },
  { number: 16, name: 'AF_NETLINK', aliases: ['AF_ROUTE'], risk: 'medium', summary: 'Talk to the kernel: routing, interfaces, audit, netfilter, uevents, and more (protocol chosen at socket()).' },
  { number: 17, name: 'AF_PACKET', risk: 'high', summary: 'Raw link-layer packets: sniff and forge traffic on interfaces (needs CAP_NET_RAW); a frequent source of kernel exploits.' },
  { number: 18, name: 'AF_ASH', risk: 'low', summary: 'Reserved (Ash); never implemented, socket() with it fails.' },
  { number: 19, name: 'AF_ECONET', risk: 'high', summary: `Acorn Econet; removed in 3.5 (socket() fails on newer kernels). ${RARE}` },
  { number: 20, name: 'AF_ATMSVC', risk: 'high', summary: `ATM switched virtual circuits. ${RARE}` },
  { number: 21, name: 'AF_RDS', risk: 'high', summary: `Reliable Datagram Sockets (cluster messaging). ${RARE}` },
  { number: 22, name: 'AF_SNA', risk: 'low', summary: 'Reserved for IBM SNA; never implemented, socket() with it fails.' },
  { number: 23, name: 'AF_IRDA', risk: 'high', summary: `Infrared (IrDA); removed in 4.17 (socket() fails on newer kernels). ${RARE}` },
  { number: 24, name: 'AF_PPPOX', risk: 'high', summary: `PPP over Ethernet / L2TP / PPTP tunnels. ${RARE}` },
  { number: 25, name: 'AF_WANPIPE', risk: 'low', summary: 'Reserved for Sangoma WANPIPE; not in mainline, socket() with it fails.' },
  { number: 26, name: 'AF_LLC', risk: 'high', summary: `IEEE 802.2 logical link control. ${RARE}` },
  { number: 27, name: 'AF_IB', risk: 'low', summary: 'Native InfiniBand addresses, used only inside RDMA connection-manager addresses; socket() with it fails.' },
  { number: 28, name: 'AF_MPLS', risk: 'low', summary: 'MPLS; only a netlink message family, socket() with it fails.' },
  { number: 29, name: 'AF_CAN', risk: 'high', summary: 'Controller Area Network buses (vehicles, industry); reaches hardware buses.' },
  { number: 30, name: 'AF_TIPC', risk: 'high', summary: `Transparent Inter-Process Communication (cluster messaging). ${RARE}` },
  { number: 31, name: 'AF_BLUETOOTH', risk: 'high', summary: 'Bluetooth sockets: reaches nearby radio devices and the Bluetooth stack.' },
  { number: 32, name: 'AF_IUCV', risk: 'high', summary: 'IBM z/VM inter-user communication (s390 only).' },
  { number: 33, name: 'AF_RXRPC', risk: 'high', summary: `RxRPC (the AFS network protocol). ${RARE}` },
  { number: 34, name: 'AF_ISDN', risk: 'high', summary: `mISDN (ISDN telephony). ${RARE}` },
  { number: 35, name: 'AF_PHONET', risk: 'high', summary: `Nokia Phonet modem protocol. ${RARE}` },
  { number: 36, name: 'AF_IEEE802154', risk: 'high', summary: `IEEE 802.15.4 low-power radio. ${RARE}` },
  { number: 37, name: 'AF_CAIF', risk: 'high', summary: `ST-Ericsson modem interface (CAIF). ${RARE}` },
  { number: 38, name: 'AF_ALG', risk: 'medium', summary: 'Kernel crypto API from user space (hashing, ciphers); a large kernel surface.' },
  { number: 39, name: 'AF_NFC', risk: 'high', summary: 'Near Field Communication devices.' },
  { number: 40, name: 'AF_VSOCK', risk: 'high', summary: 'Sockets between virtual machines and their host (hypervisor transport); can reach host services.' },
  { number: 41, name: 'AF_KCM', risk: 'high', summary: `Kernel Connection Multiplexor over TCP. ${RARE}` },
  { number: 42, name: 'AF_QIPCRTR', risk: 'high', summary: 'Qualcomm IPC router (talks to modems and co-processors).' },
  { number: 43, name: 'AF_SMC', risk: 'high', summary: 'Shared Memory Communications over RDMA (SMC-R/SMC-D), a TCP replacement.' },
  { number: 44, name: 'AF_XDP', risk: 'high', summary: 'XDP sockets: fast raw packet I/O bound to a NIC queue (needs CAP_NET_RAW).' },
  { number: 45, name: 'AF_MCTP', risk: 'high', summary: 'Management Component Transport Protocol (talks to platform management controllers).' },
];

/** One past the highest family number (the kernel's AF_MAX in 6.18). */
export const addressFamilyMax = 46;

const familyByNameMap = new Map<string, AddressFamilyInfo>();
for (const f of addressFamilyTable) {
  for (const n of [f.name, ...(f.aliases ?? [])]) familyByNameMap.set(n.toUpperCase(), f);
}

/**
 * Look a family up by name: `AF_INET`, `PF_INET`, `INET`, aliases such as `AF_LOCAL`, any case.
 */
export function familyByName(name: string): AddressFamilyInfo | undefined {
  const upper = name.toUpperCase();
  const key = upper.startsWith('AF_') ? upper : upper.startsWith('PF_') ? `AF_${upper.slice(3)}` : `AF_${upper}`;
  return familyByNameMap.get(key);
}

/** Look a family up by the number passed to socket(). */
export function familyByNumber(nr: number): AddressFamilyInfo | undefined {
  return Number.isInteger(nr) && nr >= 0 && nr < addressFamilyMax ? addressFamilyTable[nr] : undefined;
}

/** One socket type (the second argument of socket(), without the flag bits). */
export interface SocketTypeInfo {
  /** Value (after masking with socketTypeMask). */
  number: number;
  /** Kernel name, e.g. `SOCK_STREAM`. */
  name: string;
  /** What it is, one plain line. */
  summary: string;
  /** How dangerous it is to allow (see risk.ts). */
  risk: Risk;
}

/** The socket types Linux defines, in number order. */
export const socketTypeTable: readonly SocketTypeInfo[] = [
  { number: 1, name: 'SOCK_STREAM', risk: 'low', summary: 'Reliable, ordered byte stream (TCP, stream UNIX sockets).' },
  { number: 2, name: 'SOCK_DGRAM', risk: 'low', summary: 'Separate messages without connection (UDP, datagram UNIX sockets, netlink).' },
  { number: 3, name: 'SOCK_RAW', risk: 'medium', summary: 'Raw protocol access: build and read packets yourself (usually needs CAP_NET_RAW).' },
  { number: 4, name: 'SOCK_RDM', risk: 'low', summary: 'Reliably delivered, unordered messages (TIPC only).' },
  { number: 5, name: 'SOCK_SEQPACKET', risk: 'low', summary: 'Reliable, ordered messages with boundaries kept (UNIX, SCTP).' },
  { number: 6, name: 'SOCK_DCCP', risk: 'medium', summary: 'Datagram Congestion Control Protocol; removed from the kernel in 6.16, had exploitable bugs.' },
  { number: 10, name: 'SOCK_PACKET', risk: 'high', summary: 'Obsolete way to capture link-layer packets (needs CAP_NET_RAW).' },
];

/** Bits of socket()'s type argument that are the type; the rest are flags. */
export const socketTypeMask = 0xf;

/** Flag bits that may be or-ed into socket()'s type argument (x86 values). */
export const socketTypeFlags = { SOCK_NONBLOCK: 0o4000, SOCK_CLOEXEC: 0o2000000 } as const;

const typeByName = new Map<string, SocketTypeInfo>(socketTypeTable.map((t) => [t.name, t]));

/** Look a socket type up by name (`SOCK_STREAM` or `STREAM`, any case). */
export function socketTypeByName(name: string): SocketTypeInfo | undefined {
  const upper = name.toUpperCase();
  return typeByName.get(upper.startsWith('SOCK_') ? upper : `SOCK_${upper}`);
}

/** Look a socket type up by socket()'s type argument; SOCK_NONBLOCK/SOCK_CLOEXEC bits are ignored. */
export function socketTypeByNumber(type: number): SocketTypeInfo | undefined {
  const base = type & socketTypeMask;
  return socketTypeTable.find((t) => t.number === base);
}
