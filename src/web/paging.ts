/**
 * How staff lists page (the workspace queue, the evaluations, the accounts): the page asked for, the last one when
 * it is past the end (the list shrank meanwhile, or a hand-typed address), and the links that keep the filters.
 */
export interface Paged {
  page: number;
  pages: number;
  offset: number;
}

/** `?page=` read leniently: anything but a sensible page number is the first page. */
export function requestedPage(value: unknown): number {
  const page = Number.parseInt(String(value ?? '1'), 10);
  return Number.isFinite(page) && page > 0 && page < 100_000 ? page : 1;
}

export function pageOf(total: number, requested: number, size: number): Paged {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(requested, pages);
  return { page, pages, offset: (page - 1) * size };
}

/** What the « pagination.njk » partial lays out; `link`: the list's address at that page, its filters kept. */
export function pagingLinks({ page, pages }: Pick<Paged, 'page' | 'pages'>, link: (page: number) => string) {
  return {
    previousUrl: page > 1 ? link(page - 1) : null,
    nextUrl: page < pages ? link(page + 1) : null,
    paging: { page, pages },
  };
}
