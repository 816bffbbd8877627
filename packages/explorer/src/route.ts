// Hash routing (#/blocks/5, #/trace?id=...): the node serves only static files, and a link to any
// page is a plain URL that works offline from the server's point of view.

export interface Route {
  /** Decoded path segments: '#/blocks/5' → ['blocks', '5']; '#/' → []. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '').replace(/^\//, '');
  const mark = text.indexOf('?');
  const path = mark < 0 ? text : text.slice(0, mark);
  const query = new URLSearchParams(mark < 0 ? '' : text.slice(mark + 1));
  const segments = path.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { segments, query };
}

/** '#/' + path segments (each encoded) + optional query. */
export function href(segments: ReadonlyArray<string | number>, query?: Record<string, string>): string {
  const path = segments.map((s) => encodeURIComponent(String(s))).join('/');
  const search = query === undefined ? '' : new URLSearchParams(query).toString();
  return `#/${path}${search === '' ? '' : `?${search}`}`;
}
