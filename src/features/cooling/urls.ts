/** Pages of the cooling subpackage. */
export const coolingUrls = {
  list: '/packages/cooling/pages/index',
  campaign: (id: number) => `/packages/cooling/pages/campaign?id=${id}`,
}
