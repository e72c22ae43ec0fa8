import { OciError } from './oci-error';

export interface TagPage {
  tags: string[];
  /** Set when tags follow this page: the `n` to repeat in the next page's link. */
  nextPageSize?: number;
}

/**
 * One page of a tag list (spec: "Listing Tags"): in lexical order, those after `last`, at most
 * `n` of them. Without `n` every remaining tag is returned; `n=0` asks for none. A page that
 * stops before the end says so, so the handler can send `Link: <…>; rel="next"`.
 */
export function tagPage(
  allTags: readonly string[],
  n: string | null,
  last: string | null,
): TagPage | OciError {
  let limit = Infinity;
  if (n !== null) {
    if (!/^\d{1,9}$/.test(n)) {
      return new OciError(400, 'PAGINATION_NUMBER_INVALID', 'invalid number of results requested', {
        n,
      });
    }
    limit = Number(n);
  }
  // Code-unit order, the order SQLite's BINARY collation and distribution use (tags are ASCII).
  const sorted = [...allTags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const after = last === null ? sorted : sorted.filter((t) => t > last);
  const tags = after.slice(0, limit);
  return tags.length > 0 && tags.length < after.length ? { tags, nextPageSize: limit } : { tags };
}
