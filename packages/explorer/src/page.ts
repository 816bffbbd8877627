import type { StatusView } from './apiTypes.js';
import type { Route } from './route.js';

/** What a page gets: where to render, its route, and a signal that aborts when the person navigates away. */
export interface PageContext {
  main: HTMLElement;
  route: Route;
  signal: AbortSignal;
  /** The node's status when the app started (chain id and suite); undefined if the node did not answer. */
  status: StatusView | undefined;
}

export type Page = (context: PageContext) => Promise<void>;
