/**
 * What a person typed, reduced to the place it names: page markers ("New York #2", from a "More"
 * button), Chinese phrasings ("紐約的警察站", "在多伦多的警务站") and English ones ("police
 * stations in Toronto") removed.
 */

/** A parsed lookup query. */
export interface Query {
  /** the place, as typed, without phrasing */
  place: string;
  /** 1-based page of the answer */
  page: number;
}

const PAGE = /\s*#(\d{1,2})\s*$/;
// Suffixes naming the stations themselves: 海外警察服务站, 警务站, 警察站, 服務站, 站点…
const ZH_SUFFIX =
  /(?:的|有)?(?:中国|中國)?(?:海外)?(?:警察|警务|警務|公安|派出所)?(?:服务|服務)?(?:站点|站點|站)?(?:在哪里|在哪裡|在哪|有吗|有嗎|吗|嗎|呢)?[?？。!！]*$/u;
const ZH_PREFIX = /^(?:在|位于|位於)/u;
// The particle 的 only at the end, so names such as 的黎波里 (Tripoli) keep it.
const ZH_TRAILING_DE = /的$/u;
const EN_PREFIX = /^(?:(?:chinese|china's|overseas|secret|police|service|stations?|is there an?|are there|any)\s+)*(?:in|near|at)\s+/iu;
const EN_SUFFIX = /\s+(?:(?:chinese|overseas|police|service)\s+)*stations?\s*$/iu;

/** Parses a query; the page marker is only taken when a place remains. @example parseQuery('紐約的警察站 #2') // { place: '紐約', page: 2 } */
export function parseQuery(raw: string): Query {
  let text = raw.normalize('NFKC').trim();
  let page = 1;
  const m = PAGE.exec(text);
  if (m && text.slice(0, m.index).trim()) {
    page = Math.max(1, Number(m[1]));
    text = text.slice(0, m.index).trim();
  }
  return { place: stripPhrasing(text), page };
}

/** The place inside a phrasing, or the text itself when stripping would leave nothing. */
export function stripPhrasing(text: string): string {
  let s = text.trim();
  const zh = s.replace(ZH_SUFFIX, '').replace(ZH_PREFIX, '').replace(ZH_TRAILING_DE, '').trim();
  if (zh) s = zh;
  const en = s.replace(EN_PREFIX, '').replace(EN_SUFFIX, '').trim();
  return en || s;
}
