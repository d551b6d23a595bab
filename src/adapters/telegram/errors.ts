/** grammY's errors as log fields: the API method and Telegram's code and description (payloads hold chat ids and text). */
import { GrammyError, HttpError } from 'grammy';
import type { PlatformErrorFields } from '../kit/error-fields.ts';

/** For errorFields: GrammyError by method and code, HttpError (the network) by grammY's own message. */
export const grammyErrorFields: PlatformErrorFields = (e) => {
  if (e instanceof GrammyError) return { name: 'GrammyError', method: e.method, code: e.error_code, description: e.description };
  if (e instanceof HttpError) return { name: 'HttpError', message: e.message };
  return undefined;
};
