import type { Ticket } from '../../../db/schema.ts';

/** A ticket over one call: every state it passed through, from before the call's first change to now. */
export interface TicketChange {
  states: [Ticket, ...Ticket[]];
  /** The department's warning stages changed: its warnings are re-planned even if the deadline stayed. */
  replanWarnings: boolean;
}

/**
 * What a call changed, gathered while it runs, so that the planners (plan.ts) run once at its end, in
 * its transaction: the tickets it changed and the departments whose digest time moved.
 */
export class Changes {
  readonly tickets = new Map<number, TicketChange>();
  readonly digestsMoved = new Set<number>();

  /** Records a change; true when it is the first change of this ticket in the call. */
  ticket(before: Ticket, after: Ticket): boolean {
    const known = this.tickets.get(after.id);
    if (known) {
      known.states.push(after);
      return false;
    }
    this.tickets.set(after.id, { states: [before, after], replanWarnings: false });
    return true;
  }

  replanWarnings(t: Ticket): void {
    const known = this.tickets.get(t.id);
    if (known) known.replanWarnings = true;
    // Not changed itself: only its warnings are planned again.
    else this.tickets.set(t.id, { states: [t], replanWarnings: true });
  }

  digestMoved(departmentId: number): void {
    this.digestsMoved.add(departmentId);
  }
}
