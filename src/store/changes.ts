// The change bus: in-process fan-out of committed changes (IDLE sessions, webhooks, password
// resets ending IMAP sessions). The store publishes only after a transaction has committed.
import type { Change } from './types.js';

export type ChangeListener = (change: Change) => void;

export class ChangeBus {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly onListenerError: (err: unknown, change: Change) => void = () => {}) {}

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(changes: readonly Change[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (err) {
          // A listener's failure must not stop the others or undo a committed write.
          this.onListenerError(err, change);
        }
      }
    }
  }
}
