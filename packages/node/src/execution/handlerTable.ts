import type { TxHandler } from './application.js';

/**
 * The tx handlers by type, with one handler for a family of types (contract calls are
 * `c/<contract>/<op>`, ADR 010) behind the exact ones.
 */
export class HandlerTable extends Map<string, TxHandler> {
  constructor(entries: Iterable<readonly [string, TxHandler]>, private readonly family?: { matches: (type: string) => boolean; handler: TxHandler }) {
    super(entries);
  }

  override get(type: string): TxHandler | undefined {
    return super.get(type) ?? (this.family?.matches(type) ? this.family.handler : undefined);
  }

  override has(type: string): boolean {
    return this.get(type) !== undefined;
  }
}
