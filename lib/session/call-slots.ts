import type { ServerLimits } from './server-limits.js';
import type { ServerStats } from '../status/server-stats.js';

/** One call's place under the cap (a CallReply is one, so a call allocates nothing for it). */
export interface CallTicket {
  /** Not yet entered, waiting for a slot, holding one, or gone. */
  slot: 'new' | 'waiting' | 'running' | 'done';
  /** What starts it, while it waits. */
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

  /** Runs `run` now if a slot is free, else when one is; not at all if the ticket has already left. */
  enter(ticket: CallTicket, run: () => void): void {
    if (ticket.slot !== 'new') return;
    if (this.hasRoom()) {
      ticket.slot = 'running';
      this.stats.callsRunning++;
      return run();
    }
    ticket.slot = 'waiting';
    ticket.slotRun = run;
    this.waiting.push(ticket);
    this.stats.callsWaiting++;
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
      const run = ticket.slotRun!;
      ticket.slot = 'running';
      ticket.slotRun = null;
      this.stats.callsWaiting--;
      this.stats.callsRunning++;
      run();
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
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
