import type { IdhubClient } from "@idhub/sdk";

export interface FeedItemLike {
  seq: number;
  id: string;
  type: string;
  subject: string;
  /** Epoch ms. */
  at: number;
}

export interface Collector {
  items: FeedItemLike[];
  errors: unknown[];
  /** Resolves once `predicate(items)` holds (checked on every item), or rejects after `timeoutMs`. */
  until(predicate: (items: FeedItemLike[]) => boolean, timeoutMs?: number): Promise<FeedItemLike[]>;
  stop(): void;
}

/** Subscribes through the SDK (SSE) and collects every delivered event in arrival order. */
export function collectFeed(client: IdhubClient, input: { after?: number; types?: string[] } = {}): Collector {
  const items: FeedItemLike[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  const subscription = client.events.subscribe.subscribe(input, {
    onData: (tracked) => {
      items.push(tracked.data);
      for (const check of waiters) check();
    },
    onError: (error) => {
      errors.push(error);
      for (const check of waiters) check();
    },
  });
  return {
    items,
    errors,
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(items)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(items);
          } else if (errors.length > 0) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(errors[0]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`feed condition not met within ${timeoutMs} ms (${items.length} items)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => subscription.unsubscribe(),
  };
}

/** Every event of the caller's account through events.list, page by page. */
export async function listAll(client: IdhubClient, after = 0): Promise<FeedItemLike[]> {
  const all: FeedItemLike[] = [];
  let cursor = after;
  while (true) {
    const page = await client.events.list.query({ after: cursor, limit: 500 });
    all.push(...page.items);
    if (page.items.length < 500) return all;
    cursor = page.next;
  }
}
