import type { FetchedPage, PageSource } from '../../../src/core/dataset/fetchAll';

type PageSourceOutcome = Awaited<PageSource['outcome']>;

/**
 * A page source over `pages`, as `paginate` hands one to fetchAll: its outcome settles when the pages
 * run out (`ended`) or when the reader stops early (a cancelled outcome). `requests` counts the pages
 * read so far, for the outcome.
 */
export function pageSourceOf(
  pages: (counted: () => void) => AsyncGenerator<FetchedPage>,
  ended: (requests: number) => PageSourceOutcome,
): PageSource {
  let requests = 0;
  const iterator = pages(() => requests++);
  let settle!: (value: PageSourceOutcome) => void;
  const outcome = new Promise<PageSourceOutcome>((resolve) => (settle = resolve));
  return {
    outcome,
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const step = await iterator.next();
        if (step.done) settle(ended(requests));
        return step;
      },
      return: async () => {
        settle({ reason: 'cancelled', partial: true, requests, message: '' });
        return iterator.return(undefined);
      },
    }),
  };
}
