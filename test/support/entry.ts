/**
 * How tests start the real bot: the compiled build, as `npm start` and systemd run it
 * (global-setup.ts builds it first when it is missing or stale).
 */
export const MAIN = ['dist/src/main.js'] as const;
