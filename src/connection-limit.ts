// At most N simultaneous connections from one remote address per listener: one client (or
// one botnet host) cannot take every slot.
import { remoteKey } from './accounts/auth-throttle.js';

export class ConnectionLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts a new connection; false when the address already has `max` open. */
  acquire(address: string): boolean {
    const key = remoteKey(address);
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return false;
    this.open.set(key, count + 1);
    return true;
  }

  release(address: string): void {
    const key = remoteKey(address);
    const count = (this.open.get(key) ?? 1) - 1;
    if (count <= 0) this.open.delete(key);
    else this.open.set(key, count);
  }
}
