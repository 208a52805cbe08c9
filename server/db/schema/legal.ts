// Legal consultation: lawyers, service points, availability, bookings.
import { sql } from 'drizzle-orm'
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { bookingStatuses, onlineChannels } from '../../../src/contract/legal'
import { inList } from './checks'
import { createdAt } from './columns'
import { unions, members } from './org'

/** A union lawyer: the profile of a member who holds the `lawyer` role. */
export const legalLawyers = pgTable(
  'legal_lawyers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .unique()
      .references(() => members.id),
    firm: text('firm').notNull(),
    specialties: text('specialties')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    bio: text('bio').notNull().default(''),
    createdAt: createdAt(),
    /** Retired by staff: no new slots; bookings and history keep pointing here. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [check('legal_lawyers_firm_not_blank', sql`length(trim(${t.firm})) > 0`)],
)

/** Where consultations take place: a workstation (an address) or online (by phone or video). */
export const legalServicePoints = pgTable(
  'legal_service_points',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    unionId: integer('union_id')
      .notNull()
      .references(() => unions.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    address: text('address'),
    channel: text('channel'),
    phone: text('phone'),
    /** Where a workstation is on the map (GCJ-02), and the address line shown there. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    locationAddress: text('location_address'),
    createdAt: createdAt(),
    /** Retired by staff: no new slots; bookings and history keep pointing here. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    unique('legal_service_points_union_name_unique').on(t.unionId, t.name),
    check(
      'legal_service_points_phone_dialable',
      sql`${t.phone} IS NULL OR ${t.phone} ~ '^\\+?[0-9][0-9 -]{3,18}[0-9]$'`,
    ),
    check(
      'legal_service_points_location',
      sql`(${t.latitude} IS NULL) = (${t.longitude} IS NULL) AND (${t.latitude} IS NULL OR (${t.kind} = 'workstation' AND ${t.latitude} BETWEEN -90 AND 90 AND ${t.longitude} BETWEEN -180 AND 180)) AND (${t.locationAddress} IS NULL OR ${t.latitude} IS NOT NULL)`,
    ),
    check(
      'legal_service_points_kind',
      sql`(${t.kind} = 'workstation' AND ${t.address} IS NOT NULL AND ${t.channel} IS NULL)
       OR (${t.kind} = 'online' AND ${t.channel} IN ${inList(onlineChannels)})`,
    ),
  ],
)

export const legalTopics = pgTable('legal_topics', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
  sortOrder: integer('sort_order').notNull().default(0),
})

/** Weekly availability of a lawyer at a service point; slots are derived from these. */
export const legalAvailabilityRules = pgTable(
  'legal_availability_rules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    lawyerId: integer('lawyer_id')
      .notNull()
      .references(() => legalLawyers.id),
    servicePointId: integer('service_point_id')
      .notNull()
      .references(() => legalServicePoints.id),
    /** 1 Monday … 7 Sunday (Asia/Shanghai). */
    weekday: integer('weekday').notNull(),
    /** `HH:mm`, Asia/Shanghai. */
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    createdBy: integer('created_by').references(() => members.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    /** Retired by staff: gives no slots any more. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    check('legal_rules_weekday', sql`${t.weekday} BETWEEN 1 AND 7`),
    check(
      'legal_rules_times',
      sql`${t.startTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND ${t.endTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND ${t.endTime} > ${t.startTime}`,
    ),
    check('legal_rules_slot_minutes', sql`${t.slotMinutes} BETWEEN 10 AND 240`),
    check('legal_rules_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
    index('legal_rules_lawyer_idx').on(t.lawyerId),
    index('legal_rules_point_idx').on(t.servicePointId),
  ],
)

/** A day without consultations: at every service point (null) or at one. */
export const legalClosures = pgTable(
  'legal_closures',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    date: date('date', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    servicePointId: integer('service_point_id').references(() => legalServicePoints.id),
    createdBy: integer('created_by').references(() => members.id),
    createdAt: createdAt(),
    /** Lifted by staff: the day is open again (setting it again revives the row). */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    unique('legal_closures_date_point_unique').on(t.date, t.servicePointId).nullsNotDistinct(),
  ],
)

/**
 * A booked slot: the slot is (lawyer, start). The description and the notes are confidential
 * (member + lawyer, notes the lawyer only).
 */
export const legalBookings = pgTable(
  'legal_bookings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    lawyerId: integer('lawyer_id')
      .notNull()
      .references(() => legalLawyers.id),
    servicePointId: integer('service_point_id')
      .notNull()
      .references(() => legalServicePoints.id),
    topicId: integer('topic_id')
      .notNull()
      .references(() => legalTopics.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    phone: text('phone').notNull(),
    description: text('description').notNull(),
    status: text('status').notNull().default('booked'),
    notes: text('notes'),
    ratingStars: integer('rating_stars'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    /** Union staff who did this for the member (代办, migration 0015); null: the member did. */
    actedBy: integer('acted_by').references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    // One active booking per slot; a cancelled booking frees the slot again.
    uniqueIndex('legal_bookings_slot_active_unique')
      .on(t.lawyerId, t.startsAt)
      .where(sql`status <> 'cancelled'`),
    check('legal_bookings_status_known', sql`${t.status} IN ${inList(bookingStatuses)}`),
    check('legal_bookings_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('legal_bookings_phone_format', sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    // The description's length (descriptionLength, src/contract/legal.ts) is checked by the
    // contract on the plain text: the column holds it sealed (AES-256-GCM, server/lib/crypto.ts),
    // which is longer.
    check(
      'legal_bookings_cancelled_when',
      sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`,
    ),
    check(
      'legal_bookings_rating',
      sql`(${t.ratingStars} IS NULL AND ${t.ratedAt} IS NULL)
       OR (${t.ratingStars} BETWEEN 1 AND 5 AND ${t.ratedAt} IS NOT NULL AND ${t.status} = 'completed')`,
    ),
    index('legal_bookings_member_idx').on(t.memberId, t.status),
    index('legal_bookings_point_idx').on(t.servicePointId, t.startsAt),
  ],
)
