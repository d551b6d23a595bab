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

/**
 * Optional details triage asks for (see the machine's detail steps). Who contacted the person, as
 * they presented themselves: a claim, never a finding.
 */
export const AFFILIATIONS = ['police_china', 'station', 'consulate', 'association', 'relative', 'unknown', 'other'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

/** How they reached the person (several may apply). */
export const CHANNELS = ['in_person', 'phone', 'wechat', 'other_app', 'via_family', 'association'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Whether family in China was contacted or pressured. */
export const FAMILY_ANSWERS = ['pressured', 'contacted', 'no', 'unknown'] as const;
export type FamilyAnswer = (typeof FAMILY_ANSWERS)[number];
