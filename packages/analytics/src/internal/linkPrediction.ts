/**
 * Compares request URLs by what they ask for, and predicts the next page's URL when a server's
 * link has the predictable form (the same query with `skip` advanced by the rows returned).
 * A prediction is only ever used once the page before it has confirmed it with its own link.
 */

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The canonical form of an absolute URL for comparisons: origin, decoded path and each query
 * parameter decoded, in order (`%20`, a literal space and `%27` versus `'` compare equal). `+`
 * stays a plus: Partner Center encodes spaces as `%20`, never `+`.
 */
export function canonicalUrl(href: string): string {
  const url = new URL(href);
  const query = url.search.length <= 1 ? '' : url.search.slice(1);
  const parts = query === '' ? [] : query.split('&').filter((part) => part !== '');
  const params = parts.map((part) => {
    const equals = part.indexOf('=');
    return equals === -1
      ? decode(part).toLowerCase()
      : `${decode(part.slice(0, equals)).toLowerCase()}=${decode(part.slice(equals + 1))}`;
  });
  return `${url.origin}${decode(url.pathname)}?${params.join('&')}`;
}

/** The `skip` of a URL as a whole number (0 when absent), or undefined when it is not one. */
export function skipOf(href: string): number | undefined {
  const url = new URL(href);
  let found: string | undefined;
  for (const part of url.search.slice(1).split('&')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    if (decode(part.slice(0, equals)).toLowerCase() === 'skip') {
      if (found !== undefined) return undefined;
      found = decode(part.slice(equals + 1));
    }
  }
  if (found === undefined) return 0;
  return /^\d{1,15}$/.test(found) ? Number(found) : undefined;
}

/** The same URL text with its `skip` value replaced (the parameter must be present). */
export function withSkip(href: string, skip: number): string {
  const question = href.indexOf('?');
  const hash = href.indexOf('#');
  const end = hash === -1 ? href.length : hash;
  const base = href.slice(0, question + 1);
  const parts = href.slice(question + 1, end).split('&');
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const equals = part.indexOf('=');
    if (equals !== -1 && decode(part.slice(0, equals)).toLowerCase() === 'skip') {
      parts[index] = `${part.slice(0, equals)}=${skip}`;
    }
  }
  return `${base}${parts.join('&')}`;
}

/**
 * A run of predicted pages: page `k` of the run (from 0) is `first` with `skip` = firstSkip + k *
 * step. Undefined when the link is not of the predictable form: `next` must carry a `skip` that
 * is the `skip` of the page that linked to it plus the rows that page returned.
 */
export function predictRun(
  pageHref: string,
  rows: number,
  nextHref: string,
): { readonly first: string; readonly firstSkip: number; readonly step: number } | undefined {
  if (rows <= 0) return undefined;
  const pageSkip = skipOf(pageHref);
  const nextSkip = skipOf(nextHref);
  // nextSkip > 0 here, so the link carries a skip parameter that withSkip can replace.
  if (pageSkip === undefined || nextSkip === undefined || nextSkip !== pageSkip + rows) return undefined;
  return { first: nextHref, firstSkip: nextSkip, step: rows };
}
