import { StateMachine } from './state-machine';

describe('StateMachine', () => {
  const door = new StateMachine('door', ['open', 'closed', 'locked'] as const, {
    close: { from: ['open'], to: 'closed' },
    lock: { from: ['closed'], to: 'locked' },
    open: { from: ['closed'], to: 'open' },
  });

  it('answers moves from its table', () => {
    expect(door.next('open', 'close')).toBe('closed');
    expect(door.next('open', 'lock')).toBeNull();
    expect(door.sources('open')).toEqual(['closed']);
    expect(door.eventsFrom('closed')).toEqual(['lock', 'open']);
    expect(door.eventsFrom('locked')).toEqual([]);
  });

  it('refuses a table that names a state it does not have', () => {
    expect(() => new StateMachine('bad', ['a', 'b'] as const, { go: { from: ['a'], to: 'c' as 'b' } })).toThrow(
      'unknown state c',
    );
  });
});
