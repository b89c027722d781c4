/** Where an event may happen and where it leads. */
export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

/**
 * A state machine as data: each event names the states it may leave and the state it reaches. Pure —
 * the services ask it whether a move is allowed and which states to guard an UPDATE with
 * (`… WHERE status IN (machine.sources(event))`), so the rule is read in one table, not in SQL.
 */
export class StateMachine<S extends string, E extends string> {
  constructor(
    readonly name: string,
    readonly states: readonly S[],
    readonly transitions: Readonly<Record<E, Transition<S>>>,
  ) {
    for (const [event, t] of Object.entries<Transition<S>>(transitions)) {
      for (const s of [...t.from, t.to])
        if (!states.includes(s)) throw new Error(`${name}: ${event} names an unknown state ${s}`);
    }
  }

  /** Whether `event` may happen in `state`. */
  can(state: S, event: E): boolean {
    return this.transitions[event].from.includes(state);
  }

  /** The state `event` leads to from `state`, or null where it is not allowed. */
  next(state: S, event: E): S | null {
    return this.can(state, event) ? this.transitions[event].to : null;
  }

  /** The states `event` may leave: what a guarded UPDATE requires the row to be in. */
  sources(event: E): readonly S[] {
    return this.transitions[event].from;
  }

  /** The events allowed in `state`; none for a final state. */
  eventsFrom(state: S): E[] {
    return (Object.keys(this.transitions) as E[]).filter((e) => this.can(state, e));
  }
}
