/** Pages of the events subpackage. */
export const eventUrls = {
  list: '/packages/events/pages/index',
  event: (id: number) => `/packages/events/pages/event?id=${id}`,
  rounds: (id: number) => `/packages/events/pages/rounds?id=${id}`,
  flowers: (id: number) => `/packages/events/pages/flowers?id=${id}`,
}

/** The staff page of one event (`?id=`), in the staff subpackage. */
export const STAFF_EVENT_PAGE = '/packages/staff/pages/event'

/** The staff form of an event: new, or `?id=` to edit one. */
export const STAFF_EVENT_FORM_PAGE = '/packages/staff/pages/event-form'
