import { CallSlots, type CallTicket } from '../../../lib/session/call-slots.js';
import type { ServerLimits } from '../../../lib/session/server-limits.js';
import { ServerStats } from '../../../lib/status/server-stats.js';

/** The limits as the server holds them, with a cap on calls in flight. */
function limitsWithCap(maxCallsInFlight: number): ServerLimits {
  return {
    maxConnections: 151,
    connectTimeoutMs: 10_000,
    waitTimeoutMs: 28_800_000,
    interactiveTimeoutMs: 28_800_000,
    callTimeoutMs: 0,
    maxCallsInFlight,
    shutdownGraceMs: 10_000,
  };
}

/**
 * A cap, its slots and a log of the calls that started: a call starts when
 * `enter` says so or, once queued, when its `slotRun` runs (as the server
 * sets it).
 */
function setup(cap: number) {
  const limits = limitsWithCap(cap);
  const stats = new ServerStats();
  const slots = new CallSlots(limits, stats);
  const started: string[] = [];
  const tickets = new Map<string, CallTicket>();
  /** Enters a new call; `onStart` runs when it starts, however it starts. */
  const call = (name: string, onStart?: (ticket: CallTicket) => void): CallTicket => {
    const ticket: CallTicket = { slot: 'new', slotRun: null };
    tickets.set(name, ticket);
    const start = () => {
      started.push(name);
      onStart?.(ticket);
    };
    if (slots.enter(ticket)) start();
    else if (ticket.slot === 'waiting') ticket.slotRun = start;
    return ticket;
  };
  const counters = () => ({ running: stats.callsRunning, waiting: stats.callsWaiting });
  const states = () => Object.fromEntries([...tickets].map(([name, t]) => [name, t.slot]));
  return { limits, stats, slots, started, call, counters, states };
}

describe('CallSlots', () => {
  it('with cap 0 runs every call at once and counts them running', () => {
    const { slots, started, call, counters } = setup(0);
    const tickets = ['a', 'b', 'c', 'd', 'e'].map((name) => call(name));
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tickets.every((t) => t.slot === 'running')).toBe(true);
    expect(counters()).toEqual({ running: 5, waiting: 0 });
    for (const t of tickets) slots.leave(t);
    expect(tickets.every((t) => t.slot === 'done' && t.slotRun === null)).toBe(true);
    expect(counters()).toEqual({ running: 0, waiting: 0 });
  });

  it('with cap 1 queues calls and starts them in arrival order as slots free', () => {
    const { slots, started, call, counters, states } = setup(1);
    const a = call('a');
    const b = call('b');
    const c = call('c');
    expect(started).toEqual(['a']);
    expect(states()).toEqual({ a: 'running', b: 'waiting', c: 'waiting' });
    expect(counters()).toEqual({ running: 1, waiting: 2 });

    slots.leave(a);
    expect(started).toEqual(['a', 'b']);
    expect(states()).toEqual({ a: 'done', b: 'running', c: 'waiting' });
    // A started ticket no longer holds the closure that started it.
    expect(b.slotRun).toBeNull();
    expect(counters()).toEqual({ running: 1, waiting: 1 });

    slots.leave(b);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(counters()).toEqual({ running: 1, waiting: 0 });

    slots.leave(c);
    expect(states()).toEqual({ a: 'done', b: 'done', c: 'done' });
    expect(counters()).toEqual({ running: 0, waiting: 0 });
  });

  it('takes a waiting ticket that leaves out of the queue without running it', () => {
    const { slots, started, call, counters, states } = setup(1);
    const a = call('a');
    const b = call('b');
    const c = call('c');
    slots.leave(b); // its client went away, or KILL QUERY, or its timeout, while it waited
    expect(states()).toEqual({ a: 'running', b: 'done', c: 'waiting' });
    expect(b.slotRun).toBeNull();
    expect(counters()).toEqual({ running: 1, waiting: 1 });

    slots.leave(a);
    expect(started).toEqual(['a', 'c']);
    slots.leave(c);
    expect(counters()).toEqual({ running: 0, waiting: 0 });
    // Leaving twice changes nothing.
    slots.leave(b);
    slots.leave(c);
    expect(counters()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses to enter a ticket twice or after it left', () => {
    const { slots, stats, call, counters } = setup(1);
    const a = call('a');
    const b = call('b');
    expect(slots.enter(a)).toBe(false);
    expect(slots.enter(b)).toBe(false);
    expect(counters()).toEqual({ running: 1, waiting: 1 });
    // A reply that ended before it entered (refused early) never takes a slot.
    const early: CallTicket = { slot: 'new', slotRun: null };
    slots.leave(early);
    expect(early.slot).toBe('done');
    expect(slots.enter(early)).toBe(false);
    expect(counters()).toEqual({ running: 1, waiting: 1 });
    slots.leave(a);
    slots.leave(b);
    expect(stats.callsRunning + stats.callsWaiting).toBe(0);
  });

  it('frees the slot of a call that ends synchronously as it starts from enter', () => {
    const { slots, started, call, counters, states } = setup(1);
    call('a', (t) => slots.leave(t));
    expect(states()).toEqual({ a: 'done' });
    expect(counters()).toEqual({ running: 0, waiting: 0 });
    // The freed slot is there for the next call.
    call('b', (t) => slots.leave(t));
    call('c');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(states()).toEqual({ a: 'done', b: 'done', c: 'running' });
    expect(counters()).toEqual({ running: 1, waiting: 0 });
  });

  it('goes on down the queue when woken calls end synchronously as they start', () => {
    const { slots, started, call, counters, states } = setup(1);
    const leaveAtOnce = (t: CallTicket) => slots.leave(t);
    const a = call('a');
    call('b', leaveAtOnce);
    call('c', leaveAtOnce);
    call('d');
    call('e');
    expect(counters()).toEqual({ running: 1, waiting: 4 });
    slots.leave(a);
    // b and c end inside the wake that started them; d then holds the one slot.
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(states()).toEqual({ a: 'done', b: 'done', c: 'done', d: 'running', e: 'waiting' });
    expect(counters()).toEqual({ running: 1, waiting: 1 });
  });

  it('starts waiters when the cap is raised and wake() is called, up to the new cap', () => {
    const { limits, slots, started, call, counters, states } = setup(1);
    const tickets = ['a', 'b', 'c', 'd', 'e'].map((name) => call(name));
    expect(counters()).toEqual({ running: 1, waiting: 4 });

    limits.maxCallsInFlight = 3; // SET GLOBAL rpc_max_calls_in_flight = 3
    expect(started).toEqual(['a']);
    slots.wake();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(counters()).toEqual({ running: 3, waiting: 2 });

    limits.maxCallsInFlight = 0; // no cap
    slots.wake();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(counters()).toEqual({ running: 5, waiting: 0 });
    for (const t of tickets) slots.leave(t);
    expect(Object.values(states())).toEqual(Array(5).fill('done'));
    expect(counters()).toEqual({ running: 0, waiting: 0 });
  });

  it('lets running calls finish when the cap is lowered, and starts none until under it', () => {
    const { limits, slots, started, call, counters } = setup(3);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => call(name));
    call('d');
    limits.maxCallsInFlight = 1;
    slots.wake();
    expect(counters()).toEqual({ running: 3, waiting: 1 });
    slots.leave(a!);
    slots.leave(b!);
    expect(started).toEqual(['a', 'b', 'c']);
    expect(counters()).toEqual({ running: 1, waiting: 1 });
    slots.leave(c!);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(counters()).toEqual({ running: 1, waiting: 0 });
  });

  it('stays FIFO after many queued calls left while they waited', () => {
    const { slots, started, call, counters } = setup(1);
    const first = call('first');
    const queued = Array.from({ length: 1500 }, (_, i) => call(`q${i}`));
    // Most of the queue gives up while waiting (client gone, timeouts).
    for (const t of queued.slice(0, 1200)) slots.leave(t);
    expect(counters()).toEqual({ running: 1, waiting: 300 });

    slots.leave(first);
    expect(started).toEqual(['first', 'q1200']);
    // One at a time, the rest start in their order.
    for (let i = 1200; i < 1500; i++) slots.leave(queued[i]!);
    expect(started).toEqual(['first', ...Array.from({ length: 300 }, (_, i) => `q${1200 + i}`)]);
    expect(counters()).toEqual({ running: 0, waiting: 0 });

    // The queue still works once it has been emptied.
    const again = call('again');
    call('after');
    slots.leave(again);
    expect(started.slice(-2)).toEqual(['again', 'after']);
    expect(counters()).toEqual({ running: 1, waiting: 0 });
  });
});
