/**
 * Discord's REST API as this adapter uses it: a dropped connection retried by the library, an
 * interaction's first response that may already have arrived, a channel message created once.
 */
import { DefaultRestOptions } from '@discordjs/rest';
import { DiscordAPIError, RESTJSONErrorCodes, SnowflakeUtil } from 'discord.js';
import type { PlatformErrorFields } from '../kit/error-fields.ts';
import { toMessage, type DiscordMessage } from './render.ts';

/**
 * @discordjs/rest retries a request (up to its `retries`) when the connection was reset or the
 * request aborted, but undici reports a connection closed without an answer as a socket error
 * (UND_ERR_SOCKET, "other side closed") that it does not retry: the answer to an interaction was
 * then lost (see test/adapters/discord/network-faults.test.ts). We only relabel those errors as
 * resets, so the library's own retry applies; the request itself is made by the library's default.
 */
const DROPPED = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);
export const retryingDroppedConnections: typeof DefaultRestOptions.makeRequest = async (url, init) => {
  try {
    return await DefaultRestOptions.makeRequest(url, init);
  } catch (e) {
    const codes = [e, (e as { cause?: unknown }).cause].map((x) => (x as { code?: unknown } | undefined)?.code);
    if (codes.some((c) => typeof c === 'string' && DROPPED.has(c)))
      throw Object.assign(new Error(`ECONNRESET: ${(e as Error).message}`), { code: 'ECONNRESET', cause: e });
    throw e;
  }
};

/**
 * Sends an interaction's first response (a reply, a defer, a modal, autocomplete choices). When
 * the connection dropped after Discord had the response, @discordjs/rest sends it again and
 * Discord refuses the copy with 40060 "already acknowledged": the response is there (only this bot
 * holds the interaction's token), but discord.js marks an interaction answered only after a call
 * succeeds, so it would refuse the rest of the answer (follow-ups, the edit after a defer). We
 * tell it, through its own public flag, and carry on; the result is then undefined.
 */
export async function firstResponse<T>(send: () => Promise<T>, acknowledged: () => void): Promise<T | undefined> {
  try {
    return await send();
  } catch (e) {
    if (!(e instanceof DiscordAPIError && e.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) throw e;
    acknowledged();
    return undefined;
  }
}

/** A fresh nonce Discord enforces: the same call sent again returns the message already created. */
export const onceOnly = () => ({ nonce: SnowflakeUtil.generate().toString(), enforceNonce: true });

/**
 * A channel message Discord creates at most once. @discordjs/rest sends a call again when its
 * connection dropped; given the same nonce with enforce_nonce, Discord returns the message the
 * first attempt created instead of posting a second one (a DM answer or a triage notice twice).
 * Interaction answers need none: Discord refuses a second response itself (see firstResponse).
 */
export const postOnce = (m: DiscordMessage) => ({ ...toMessage(m), ...onceOnly() });

/** Discord API errors as log fields: the method, status and JSON code (the URL holds ids and tokens, so it is left out). */
export const discordErrorFields: PlatformErrorFields = (e) =>
  e instanceof DiscordAPIError ? { name: 'DiscordAPIError', method: e.method, status: e.status, code: e.code } : undefined;
