import { LoginThrottle } from '../../../../lib/session/login/login-throttle.js';

describe('LoginThrottle', () => {
  it('delays after the threshold, growing to the maximum, per host', () => {
    const t = new LoginThrottle({ delayAfterFailures: 2, minDelayMs: 100, maxDelayMs: 250 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push(t.delayFor('10.0.0.1'));
      t.failed('10.0.0.1');
    }
    expect(delays).toEqual([0, 0, 100, 200, 250]);
    expect(t.delayFor('10.0.0.2')).toBe(0);
    expect(t.counts.delayed).toBe(3);
  });

  it('blocks a host at maxConnectErrors until flushed; success forgives', () => {
    const t = new LoginThrottle({ maxConnectErrors: 3, delayAfterFailures: 0 });
    t.failed('h');
    t.failed('h');
    t.succeeded('h');
    t.failed('h');
    t.failed('h');
    expect(t.isBlocked('h')).toBe(false);
    t.failed('h');
    expect(t.isBlocked('h')).toBe(true);
    expect(t.counts).toEqual({ delayed: 0, refused: 1, blockedHosts: 1 });
    t.flush();
    expect(t.isBlocked('h')).toBe(false);
    expect(t.delayFor('h')).toBe(0);
  });

  it('does nothing when turned off', () => {
    const t = new LoginThrottle(false);
    for (let i = 0; i < 1000; i++) t.failed('h');
    expect(t.isBlocked('h')).toBe(false);
    expect(t.delayFor('h')).toBe(0);
  });

  it('refuses nonsense settings', () => {
    expect(() => new LoginThrottle({ minDelayMs: -1 })).toThrow(/minDelayMs/);
    expect(() => new LoginThrottle({ maxConnectErrors: 1.5 })).toThrow(/maxConnectErrors/);
  });
});
