import type { MapLocation } from '../../src/contract/location'

/**
 * A place on the map from its columns (latitude, longitude, the address line), or null when it
 * has none: the CHECKs of migration 0014 hold both coordinates set or both null.
 */
export function mapLocationOf(
  latitude: number | null,
  longitude: number | null,
  address: string | null,
): MapLocation | null {
  if (latitude === null || longitude === null) return null
  return { latitude: Number(latitude), longitude: Number(longitude), address }
}
