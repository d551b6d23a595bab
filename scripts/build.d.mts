/** Types of build.mjs, for the tests' global setup. */
export declare const ROOT: string;
export declare const DIST: string;
/** True when dist/ is missing or older than a source. */
export declare function isStale(): boolean;
/** Builds dist/; returns tsc's exit code (0: built). */
export declare function build(): number;
