// Mixers (联谊活动) and their flowers.
import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core'
import { createdAt } from './columns'
import {
  flowerPhases,
  flowersPerAttendee,
  genders,
  registrationStatuses,
} from '../../../src/contract/events'
import { inList, num } from './checks'
import { unions, members } from './org'

/**
 * A mixer (联谊活动), co-hosted by one or more unions (`event_hosts`). The confirmed counters are
 * kept with the registrations in the same transaction, under this row's lock; their CHECKs are
 * the database's own guard that capacity is never exceeded. `signup_seq` numbers sign-ups in
 * order (the waitlist is FIFO by it).
 */
export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    venue: text('venue').notNull(),
    /** Where the venue is on the map (GCJ-02), and the address line shown there. */
    venueLatitude: doublePrecision('venue_latitude'),
    venueLongitude: doublePrecision('venue_longitude'),
    venueAddress: text('venue_address'),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    signupOpensAt: timestamp('signup_opens_at', { withTimezone: true }).notNull(),
    signupClosesAt: timestamp('signup_closes_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    capacityMale: integer('capacity_male'),
    capacityFemale: integer('capacity_female'),
    minBirthYear: integer('min_birth_year'),
    maxBirthYear: integer('max_birth_year'),
    confirmedMale: integer('confirmed_male').notNull().default(0),
    confirmedFemale: integer('confirmed_female').notNull().default(0),
    signupSeq: integer('signup_seq').notNull().default(0),
    /** The event's own check-in code: attendees scan it at the venue. */
    checkinCode: text('checkin_code').notNull(),
    flowerPhase: text('flower_phase').notNull().default('not_open'),
    groupCount: integer('group_count'),
    rounds: integer('rounds'),
    rotatingGender: text('rotating_gender'),
    /** Points each attendee earns by checking in (0: none), set by the organiser. */
    checkinPoints: integer('checkin_points').notNull().default(0),
    /** The round the organiser says is on now (1-based); null until groups are made. */
    currentRound: integer('current_round'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    unique('events_checkin_code_unique').on(t.checkinCode),
    check('events_title_not_blank', sql`length(trim(${t.title})) > 0`),
    check(
      'events_venue_location',
      sql`(${t.venueLatitude} IS NULL) = (${t.venueLongitude} IS NULL) AND (${t.venueLatitude} IS NULL OR (${t.venueLatitude} BETWEEN -90 AND 90 AND ${t.venueLongitude} BETWEEN -180 AND 180)) AND (${t.venueAddress} IS NULL OR ${t.venueLatitude} IS NOT NULL)`,
    ),
    check(
      'events_windows_in_order',
      sql`${t.signupOpensAt} < ${t.signupClosesAt} AND ${t.signupClosesAt} <= ${t.startsAt} AND ${t.startsAt} < ${t.endsAt}`,
    ),
    check('events_capacity_positive', sql`${t.capacity} > 0`),
    check(
      'events_capacity_per_gender',
      sql`(${t.capacityMale} IS NULL) = (${t.capacityFemale} IS NULL) AND (${t.capacityMale} IS NULL OR (${t.capacityMale} BETWEEN 0 AND ${t.capacity} AND ${t.capacityFemale} BETWEEN 0 AND ${t.capacity} AND ${t.capacityMale} + ${t.capacityFemale} >= ${t.capacity}))`,
    ),
    check(
      'events_birth_years',
      sql`${t.minBirthYear} IS NULL OR ${t.maxBirthYear} IS NULL OR ${t.minBirthYear} <= ${t.maxBirthYear}`,
    ),
    check(
      'events_confirmed_within_capacity',
      sql`${t.confirmedMale} >= 0 AND ${t.confirmedFemale} >= 0 AND ${t.confirmedMale} + ${t.confirmedFemale} <= ${t.capacity}`,
    ),
    check(
      'events_confirmed_within_gender_capacity',
      sql`(${t.capacityMale} IS NULL OR ${t.confirmedMale} <= ${t.capacityMale}) AND (${t.capacityFemale} IS NULL OR ${t.confirmedFemale} <= ${t.capacityFemale})`,
    ),
    check('events_flower_phase_known', sql`${t.flowerPhase} IN ${inList(flowerPhases)}`),
    check(
      'events_groups_complete',
      sql`(${t.groupCount} IS NULL) = (${t.rounds} IS NULL) AND (${t.groupCount} IS NULL) = (${t.rotatingGender} IS NULL) AND (${t.groupCount} IS NULL OR (${t.groupCount} > 0 AND ${t.rounds} BETWEEN 1 AND ${t.groupCount} AND ${t.rotatingGender} IN ('male','female')))`,
    ),
    check('events_checkin_points_range', sql`${t.checkinPoints} BETWEEN 0 AND 100000`),
    check(
      'events_current_round_in_rounds',
      sql`${t.currentRound} IS NULL OR (${t.rounds} IS NOT NULL AND ${t.currentRound} BETWEEN 1 AND ${t.rounds})`,
    ),
  ],
)

/** The co-host unions of an event (they may lie in different cities). */
export const eventHosts = pgTable(
  'event_hosts',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.unionId] }),
    index('event_hosts_union_idx').on(t.unionId),
  ],
)

/**
 * One registration per member and event (a cancelled one is reused when the member signs up
 * again, at the back of the line). `public_id` is the attendee id other attendees see.
 */
export const eventRegistrations = pgTable(
  'event_registrations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    publicId: text('public_id').notNull(),
    /** The member's personal check-in code, for staff to scan. */
    checkinCode: text('checkin_code').notNull(),
    nickname: text('nickname').notNull(),
    gender: text('gender').notNull(),
    birthYear: integer('birth_year').notNull(),
    intro: text('intro').notNull().default(''),
    /** Whether other attendees may see this attendee's gender and birth year (off unless chosen). */
    showDetails: boolean('show_details').notNull().default(false),
    status: text('status').notNull(),
    /** The event's `signup_seq` when the member (last) signed up: the waitlist order. */
    queueSeq: integer('queue_seq').notNull(),
    signedUpAt: timestamp('signed_up_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    /** Group of round 1 (0-based) and cohort, once the organiser made the groups. */
    startGroup: integer('start_group'),
    /** Union staff who did this for the member (代办, migration 0015); null: the member did. */
    actedBy: integer('acted_by').references(() => members.id),
    cohort: text('cohort'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('event_registrations_one_per_member').on(t.eventId, t.memberId),
    unique('event_registrations_event_id').on(t.eventId, t.id),
    unique('event_registrations_public_id_unique').on(t.publicId),
    unique('event_registrations_checkin_code_unique').on(t.checkinCode),
    unique('event_registrations_queue_unique').on(t.eventId, t.queueSeq),
    check('event_registrations_gender_known', sql`${t.gender} IN ${inList(genders)}`),
    check('event_registrations_status_known', sql`${t.status} IN ${inList(registrationStatuses)}`),
    check(
      'event_registrations_cancelled_at',
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`,
    ),
    check(
      'event_registrations_checkin_confirmed',
      sql`${t.checkedInAt} IS NULL OR ${t.status} = 'confirmed'`,
    ),
    check(
      'event_registrations_cohort_known',
      sql`(${t.cohort} IS NULL) = (${t.startGroup} IS NULL) AND (${t.cohort} IS NULL OR (${t.cohort} IN ('stationary','rotating') AND ${t.startGroup} >= 0))`,
    ),
    index('event_registrations_queue_idx').on(t.eventId, t.status, t.queueSeq),
    index('event_registrations_member_idx').on(t.memberId),
  ],
)

/**
 * A sent flower: final, at most one per sender and recipient, never to oneself; both ends are
 * registrations of the same event (composite foreign keys).
 */
export const flowers = pgTable(
  'flowers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id').notNull(),
    senderId: integer('sender_id').notNull(),
    recipientId: integer('recipient_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'flowers_sender_fk',
      columns: [t.eventId, t.senderId],
      foreignColumns: [eventRegistrations.eventId, eventRegistrations.id],
    }),
    foreignKey({
      name: 'flowers_recipient_fk',
      columns: [t.eventId, t.recipientId],
      foreignColumns: [eventRegistrations.eventId, eventRegistrations.id],
    }),
    unique('flowers_once_per_pair').on(t.eventId, t.senderId, t.recipientId),
    check('flowers_not_to_self', sql`${t.senderId} <> ${t.recipientId}`),
    index('flowers_recipient_idx').on(t.eventId, t.recipientId),
  ],
)

/**
 * A checked-in attendee's flowers still to send: the per-sender counter that caps flowers at 3
 * (decremented in the statement that inserts the flower; CHECK 0..3). `closed` is set for the
 * whole event by the transaction that closes the flower phase: a send locks its sender's row
 * here, so it either commits before the close or sees `closed`. A table of its own, so that these
 * locks never meet the KEY SHARE locks that flowers' foreign keys take on registrations.
 */
export const flowerAllowances = pgTable(
  'flower_allowances',
  {
    registrationId: integer('registration_id')
      .primaryKey()
      .references(() => eventRegistrations.id),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    flowersLeft: integer('flowers_left').notNull().default(flowersPerAttendee),
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [
    // flowersPerAttendee (src/contract/events.ts)
    check(
      'flower_allowances_flowers_left',
      sql`${t.flowersLeft} BETWEEN 0 AND ${num(flowersPerAttendee)}`,
    ),
    index('flower_allowances_event_idx').on(t.eventId),
  ],
)
