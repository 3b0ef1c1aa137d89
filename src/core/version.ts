// leakgate's version, kept in one place for the report and `leakgate --version`.
export const VERSION = '0.1.0';
