/** Pages of the legal and lawyer subpackages. */
export const legalUrls = {
  choose: '/packages/legal/pages/index',
  form: '/packages/legal/pages/book',
  booking: (id: number, isNew = false) =>
    `/packages/legal/pages/booking?id=${id}${isNew ? '&new=1' : ''}`,
  mine: '/packages/legal/pages/mine',
  lawyerDay: '/packages/lawyer/pages/index',
}
