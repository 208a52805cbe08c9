/** Pages of the mall subpackage. */
export const mallUrls = {
  list: '/packages/mall/pages/index',
  item: (id: number) => `/packages/mall/pages/item?id=${id}`,
  orders: '/packages/mall/pages/orders',
}
