/** The taxonomy of transnational-repression tactics a report is filed under. */
export const CATEGORIES = [
  'family_pressure',
  'persuade_return',
  'station_contact',
  'surveillance',
  'online_harassment',
  'document_pressure',
  'luring_abduction',
  'physical',
  'other',
] as const;

/** A report category. */
export type Category = (typeof CATEGORIES)[number];

/** True when s is a known category. */
export function isCategory(s: string): s is Category {
  return (CATEGORIES as readonly string[]).includes(s);
}
