/**
 * Slows password guessing without handing anyone a way to lock others out:
 *  - per client address: after `addressFailures` failed sign-ins within the window that
 *    address waits until the oldest one leaves the window (only the guesser's own
 *    address — the socket's, see clientAddress.ts — is held up);
 *  - per account: after `freeAccountFailures` failures each further attempt for that
 *    username must wait a delay that doubles with every failure, capped at
 *    `maxAccountDelayMs` — never a lock-out: the real user, from any address, is in
 *    within a minute at worst, and a success clears the account's count.
 * An attempt counts as failed from the moment it starts (so parallel guesses cannot all
 * slip through before the first one is checked) until `succeeded()` is called.
 */

export interface LoginLimiterOptions {
  now?: () => number;
  addressFailures?: number;
  windowMs?: number;
  freeAccountFailures?: number;
  firstAccountDelayMs?: number;
  maxAccountDelayMs?: number;
  /** Bound on remembered addresses and accounts (oldest forgotten first). */
  maxEntries?: number;
}

export interface Refusal {
  /** Seconds until an attempt will be accepted. */
  retryAfter: number;
  reason: 'address' | 'account';
}

export interface Attempt {
  succeeded(): void;
  failed(): void;
}

interface AccountState {
  failures: number;
  last: number;
}

/** IPv6 clients usually hold a whole /64: count it as one address. */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class LoginLimiter {
  private readonly addresses = new Map<string, number[]>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly now: () => number;
  private readonly addressFailures: number;
  private readonly windowMs: number;
  private readonly freeAccountFailures: number;
  private readonly firstAccountDelayMs: number;
  private readonly maxAccountDelayMs: number;
  private readonly maxEntries: number;

  constructor(options: LoginLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.addressFailures = options.addressFailures ?? 20;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.freeAccountFailures = options.freeAccountFailures ?? 5;
    this.firstAccountDelayMs = options.firstAccountDelayMs ?? 2_000;
    this.maxAccountDelayMs = options.maxAccountDelayMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** Either a refusal (nothing is counted) or an attempt that counts as failed until it succeeds. */
  attempt(address: string, username: string): Refusal | Attempt {
    const now = this.now();
    const addr = addressKey(address);
    const account = username.trim().toLowerCase();
    const recent = this.recentFailures(addr, now);
    if (recent.length >= this.addressFailures) {
      return { reason: 'address', retryAfter: seconds(recent[recent.length - this.addressFailures]! + this.windowMs - now) };
    }
    const state = this.accountState(account, now);
    const accountWait = state.last + this.delayAfter(state.failures) - now;
    if (accountWait > 0) return { reason: 'account', retryAfter: seconds(accountWait) };

    const stamp = now;
    this.remember(this.addresses, addr, [...recent, stamp]);
    this.remember(this.accounts, account, { failures: state.failures + 1, last: now });
    return {
      failed: () => {
        // The delay runs from the answer, not from the start of the (slow) password check.
        const s = this.accounts.get(account);
        if (s) s.last = Math.max(s.last, this.now());
      },
      succeeded: () => {
        this.accounts.delete(account);
        const list = this.addresses.get(addr);
        const i = list?.lastIndexOf(stamp) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      },
    };
  }

  /** Wait before the next attempt after `failures` failures in a row. */
  delayAfter(failures: number): number {
    if (failures < this.freeAccountFailures) return 0;
    return Math.min(this.firstAccountDelayMs * 2 ** (failures - this.freeAccountFailures), this.maxAccountDelayMs);
  }

  private recentFailures(addr: string, now: number): number[] {
    return (this.addresses.get(addr) ?? []).filter((t) => now - t < this.windowMs);
  }

  private accountState(account: string, now: number): AccountState {
    const s = this.accounts.get(account);
    // A quiet window forgets the failures.
    return s && now - s.last < this.windowMs ? s : { failures: 0, last: now };
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    // Maps keep insertion order: the first keys are the longest untouched.
    for (const oldest of map.keys()) {
      if (map.size <= this.maxEntries) break;
      map.delete(oldest);
    }
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const isRefusal = (r: Refusal | Attempt): r is Refusal => 'retryAfter' in r;
