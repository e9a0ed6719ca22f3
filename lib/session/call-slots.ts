import type { ServerLimits } from './server-limits.js';
import type { ServerStats } from '../status/server-stats.js';

/** One call's place under the cap (a CallReply is one, so a call allocates nothing for it). */
export interface CallTicket {
  /** Not yet entered, waiting for a slot, holding one, or gone. */
  slot: 'new' | 'waiting' | 'running' | 'done';
  /** What starts it, while it waits (set by whoever entered it). */
  slotRun: (() => void) | null;
}

/**
 * The cap on calls running at once across connections (maxCallsInFlight).
 * A call past it waits in arrival order; its timeout and KILL apply while
 * it waits. With no cap, `enter` runs the call at once and costs a compare.
 */
export class CallSlots {
  private waiting: CallTicket[] = [];
  private head = 0;

  constructor(
    private readonly limits: ServerLimits,
    private readonly stats: ServerStats,
  ) {}

  /**
   * True when the call may run now (it holds a slot). Otherwise it waits:
   * the caller sets `ticket.slotRun`, which runs when a slot frees. False
   * too for a ticket that has already left.
   */
  enter(ticket: CallTicket): boolean {
    if (ticket.slot !== 'new') return false;
    if (this.hasRoom()) {
      ticket.slot = 'running';
      this.stats.callsRunning++;
      return true;
    }
    ticket.slot = 'waiting';
    this.waiting.push(ticket);
    this.stats.callsWaiting++;
    return false;
  }

  /** The call's reply has ended: gives its slot back, or takes it out of the queue. */
  leave(ticket: CallTicket): void {
    const was = ticket.slot;
    ticket.slot = 'done';
    ticket.slotRun = null;
    if (was === 'waiting') this.stats.callsWaiting--;
    else if (was === 'running') {
      this.stats.callsRunning--;
      this.wake();
    }
  }

  /** Starts waiters while slots are free (after a call ends, or the cap was raised). */
  wake(): void {
    while (this.head < this.waiting.length && this.hasRoom()) {
      const ticket = this.waiting[this.head++]!;
      if (ticket.slot !== 'waiting') continue;
      const run = ticket.slotRun;
      ticket.slot = 'running';
      ticket.slotRun = null;
      this.stats.callsWaiting--;
      this.stats.callsRunning++;
      run?.();
    }
    if (this.head === this.waiting.length) {
      if (this.head > 0) {
        this.waiting = [];
        this.head = 0;
      }
    } else if (this.head > 1024) {
      // Calls that left while queued are dropped in bulk, so the queue cannot grow without bound.
      this.waiting = this.waiting.slice(this.head).filter((t) => t.slot === 'waiting');
      this.head = 0;
    }
  }

  private hasRoom(): boolean {
    const cap = this.limits.maxCallsInFlight;
    return cap === 0 || this.stats.callsRunning < cap;
  }
}
