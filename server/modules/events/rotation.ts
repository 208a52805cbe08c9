/**
 * The round-robin schedule of a mixer (PRODUCT.md §3): checked-in attendees are split into N
 * groups; one gender (the rotating cohort) moves on to the next group after every round, the
 * other (the stationary cohort) stays. All numbers here are 0-based.
 */

export type Cohort = 'stationary' | 'rotating'

export interface GroupAssignment<Id> {
  id: Id
  cohort: Cohort
  /** The group in round 0. */
  startGroup: number
}

/**
 * Splits each cohort over `groupCount` groups in turn, so that within each cohort group sizes
 * differ by at most one. The rotating cohort starts filling where the stationary one stopped, so
 * that in round 0 the whole groups differ by at most one as well. `attendees` are taken in the
 * order given (the caller decides it, e.g. by a random public id).
 */
export function assignGroups<Id>(
  attendees: ReadonlyArray<{ id: Id; rotating: boolean }>,
  groupCount: number,
): Array<GroupAssignment<Id>> {
  if (!Number.isInteger(groupCount) || groupCount < 1) {
    throw new RangeError('groupCount must be a positive integer')
  }
  const stationary = attendees.filter((a) => !a.rotating)
  const rotating = attendees.filter((a) => a.rotating)
  const offset = stationary.length % groupCount
  return [
    ...stationary.map((a, i) => ({
      id: a.id,
      cohort: 'stationary' as const,
      startGroup: i % groupCount,
    })),
    ...rotating.map((a, i) => ({
      id: a.id,
      cohort: 'rotating' as const,
      startGroup: (offset + i) % groupCount,
    })),
  ]
}

/** Where an attendee is in round `round`: rotating ones move one group on per round. */
export function groupInRound(
  a: { cohort: Cohort; startGroup: number },
  round: number,
  groupCount: number,
): number {
  return a.cohort === 'stationary' ? a.startGroup : (a.startGroup + round) % groupCount
}

/** The attendee's group in each of `rounds` rounds. */
export function schedule(
  a: { cohort: Cohort; startGroup: number },
  rounds: number,
  groupCount: number,
): number[] {
  return Array.from({ length: rounds }, (_, r) => groupInRound(a, r, groupCount))
}
