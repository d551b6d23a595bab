/**
 * Choice ids longer than Telegram's 64 bytes of callback_data (a triage "link to station" button
 * whose station id is long) are sent as a short token and mapped back when pressed, instead of
 * being left out. The map lives in this process (bounded): a token pressed after a restart is
 * unknown and the core answers "not valid", so the person can ask again.
 */
import { createHash } from 'node:crypto';
import { CALLBACK_DATA_MAX_BYTES, callbackBytes } from './render.ts';

/** Marks a token; no core choice id starts with it (they start with a command or intake prefix). */
const PREFIX = '~';
const MAX_TOKENS = 10_000;

/** Maps over-long choice ids to short callback data and back. */
export class CallbackTokens {
  readonly #ids = new Map<string, string>();

  /** The callback data for a choice id: itself when it fits, else a token (23 bytes). */
  short(id: string): string {
    if (callbackBytes(id) <= CALLBACK_DATA_MAX_BYTES && !id.startsWith(PREFIX)) return id;
    const token = PREFIX + createHash('sha256').update(id).digest('base64url').slice(0, 22);
    this.#ids.delete(token); // re-inserted last: the most recently sent survive the bound
    this.#ids.set(token, id);
    if (this.#ids.size > MAX_TOKENS) this.#ids.delete(this.#ids.keys().next().value!);
    return token;
  }

  /** The choice id behind callback data ('' for an unknown token: the core says it is not valid). */
  resolve(data: string): string {
    return data.startsWith(PREFIX) ? (this.#ids.get(data) ?? '') : data;
  }
}
