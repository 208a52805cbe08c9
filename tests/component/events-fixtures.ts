import type {
  Attendee,
  FlowersResponse,
  MatchesResponse,
  MemberEvent,
  MyRegistration,
  StaffEvent,
} from '@/contract/events'

/** A mixer as GET /events answers it: sign-up open, places left, nobody signed up yet. */
export function anEvent(overrides: Partial<MemberEvent> = {}): MemberEvent {
  return {
    id: 7,
    title: '爱在运河畔 缘定副中心',
    venue: '城市绿心森林公园',
    venueLocation: null,
    description: '青年职工联谊，现场分组交流',
    // 2026-08-08 14:00–17:30 in Shanghai.
    startsAt: '2026-08-08T06:00:00.000Z',
    endsAt: '2026-08-08T09:30:00.000Z',
    signupOpensAt: '2026-07-01T01:00:00.000Z',
    signupClosesAt: '2026-08-05T10:00:00.000Z',
    capacity: 200,
    capacityPerGender: null,
    hostUnionIds: [3, 21, 22],
    hostUnions: [
      { id: 3, name: '通州区总工会' },
      { id: 21, name: '武清区总工会' },
      { id: 22, name: '廊坊市总工会' },
    ],
    minBirthYear: null,
    maxBirthYear: null,
    confirmedCount: 0,
    waitlistCount: 0,
    confirmedPerGender: { male: 0, female: 0 },
    placesLeft: 200,
    placesLeftPerGender: null,
    signupOpen: true,
    flowerPhase: 'not_open',
    checkinPoints: 0,
    // An hour before the start.
    checkinOpensAt: '2026-08-08T05:00:00.000Z',
    myRegistration: null,
    ...overrides,
  }
}

/** The member's own registration: confirmed, not checked in. */
export function aRegistration(overrides: Partial<MyRegistration> = {}): MyRegistration {
  return {
    id: 70,
    eventId: 7,
    status: 'confirmed',
    checkedIn: false,
    attendeeId: 'me-attendee',
    profile: {
      nickname: '运河边的风',
      gender: 'male',
      birthYear: 1996,
      intro: '喜欢骑车',
      showDetails: false,
    },
    checkinCode: 'K7MN3DAB',
    checkedInAt: null,
    signedUpAt: '2026-07-02T02:00:00.000Z',
    cancelledAt: null,
    ...overrides,
  }
}

/**
 * A checked-in attendee as other attendees see them: nickname and intro (gender and birth year
 * only when the attendee chose to show them — pass them in `overrides`).
 */
export function anAttendee(overrides: Partial<Attendee> = {}): Attendee {
  return {
    attendeeId: 'a-1',
    nickname: '小雨',
    intro: '爱读书，也爱爬山',
    ...overrides,
  }
}

/** The member's flowers with the phase open and all 3 left. */
export function someFlowers(overrides: Partial<FlowersResponse> = {}): FlowersResponse {
  return {
    left: 3,
    sentTo: [],
    receivedCount: null,
    oneSided: null,
    phase: 'open',
    matches: [],
    myAttendeeId: 'me-attendee',
    ...overrides,
  }
}

/** An event as its organisers see it. */
export function aStaffEvent(overrides: Partial<StaffEvent> = {}): StaffEvent {
  const { myRegistration: _mine, ...base } = anEvent()
  return {
    ...base,
    checkedInCount: 4,
    groupCount: null,
    rounds: null,
    rotating: null,
    currentRound: null,
    createdAt: '2026-06-20T02:00:00.000Z',
    confirmedCount: 4,
    confirmedPerGender: { male: 2, female: 2 },
    placesLeft: 196,
    ...overrides,
  }
}

/** What the organiser sees of the flowers. */
export function someMatches(overrides: Partial<MatchesResponse> = {}): MatchesResponse {
  return {
    pairs: [],
    pairDetails: [],
    // The server gives the total only once closed, and only with 5 or more senders.
    flowersSent: null,
    attendees: 4,
    phase: 'not_open',
    ...overrides,
  }
}
