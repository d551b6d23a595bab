/**
 * The phone numbers and account names a reporter shared about whoever contacted them, reduced to
 * keys that match across reports ("+44 7700 900123" and "07700 900123" alike), so the team's
 * clusters can group reports about the same people. Keys live only in memory, while the team asks
 * for clusters: the text itself stays sealed in the report's payload.
 */

/** One identifier: its matching key and a short hint the team's clusters show instead of it. */
export interface IdentifierKey {
  kind: 'phone' | 'account';
  key: string;
  hint: string;
}

// Digits a phone number is compared on. Without the reporter's country, no phone library can tell
// a national "07700 900123" from an international "+44 7700 900123"; their last nine digits agree.
const PHONE_TAIL = 9;
const PHONE_MIN = 7;

/** "WeChat: example_id, +44 7700 900123" → one account key and one phone key. */
export function identifierKeys(text: string | null | undefined): IdentifierKey[] {
  if (!text) return [];
  const keys = new Map<string, IdentifierKey>();
  for (const entry of text.normalize('NFKC').split(/[,;，；、\n]+/u)) {
    // "WeChat: x", "微信：x": the label before a colon is not part of the identifier
    const value = entry.replace(/^[^:：]{0,20}[:：]/u, '').trim();
    const key = phoneKey(value) ?? accountKey(value);
    if (key) keys.set(`${key.kind}:${key.key}`, key);
  }
  return [...keys.values()];
}

function phoneKey(value: string): IdentifierKey | null {
  if (!/^\+?[\d\s().-]+$/u.test(value)) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length < PHONE_MIN) return null;
  const key = digits.slice(-PHONE_TAIL);
  return { kind: 'phone', key, hint: key.slice(-4) };
}

function accountKey(value: string): IdentifierKey | null {
  const key = value.toLowerCase().replace(/^@/, '').replace(/\s+/g, '');
  if ([...key].length < 3) return null;
  const chars = [...key];
  // enough to recognise it in the report, not enough to read it off a shoulder-surfed screen
  return { kind: 'account', key, hint: `${chars.slice(0, 2).join('')}…${chars.length > 5 ? chars.slice(-2).join('') : ''}` };
}
