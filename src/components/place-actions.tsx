import { Button, View } from '@tarojs/components'
import type { MapLocation } from '@/contract/location'
import { callPhone, openMap } from '@/services/device'
import './place-actions.scss'

/** Props of a place's phone and map buttons. */
export interface PlaceActionsProps {
  /** The place's name, shown on the map (a workstation's name, a mixer's venue). */
  name: string
  /** A number to call, when the place has one. */
  phone?: string | null
  /** Where it is on the map, when known. */
  location?: MapLocation | null
  /** The address line under the name on the map when the location has none. */
  address?: string | null
}

/**
 * 拨打电话 and 查看地图 for a place, each only when the place has it (nothing at all without
 * either): WeChat's dial sheet and map in the mini-program, a `tel:` link and a web map on H5.
 */
export function PlaceActions({ name, phone, location, address }: PlaceActionsProps) {
  if (!phone && !location) return null
  return (
    <View className="place-actions">
      {phone ? (
        <Button
          className="btn btn-ghost place-call"
          aria-label={`拨打电话 ${phone}`}
          onClick={() => callPhone(phone)}
        >
          拨打电话 {phone}
        </Button>
      ) : null}
      {location ? (
        <Button
          className="btn btn-ghost place-map"
          onClick={() =>
            openMap({
              latitude: location.latitude,
              longitude: location.longitude,
              name,
              address: location.address ?? address ?? null,
            })
          }
        >
          查看地图
        </Button>
      ) : null}
    </View>
  )
}
