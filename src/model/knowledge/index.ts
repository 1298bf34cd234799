/**
 * Knowledge tables as data: syscalls, capabilities, socket families and types, errnos, sensitive
 * paths and risky mounts. Pure data and lookups; importing this does no I/O.
 */
export * from './risk.js';
export * from './syscalls.js';
export * from './capabilities.js';
export * from './families.js';
export * from './errnos.js';
export * from './sensitive-paths.js';
