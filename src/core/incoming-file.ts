/** Incoming file (evidence). */
export interface IncomingFile {
  bytes: Uint8Array;
  /** as the platform declares it; the core checks the real type itself */
  declaredMime?: string | undefined;
  name?: string | undefined;
}
