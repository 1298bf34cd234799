/** The kinds and versions of whittle's files (no schema code: cheap to import on hot paths). */
export const SNAPSHOT_KIND = 'whittle-snapshot';
export const SNAPSHOT_SCHEMA_VERSION = 1;
export const RUN_REPORT_KIND = 'whittle-run-report';
export const RUN_REPORT_SCHEMA_VERSION = 1;
