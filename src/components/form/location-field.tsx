import { Input, Text, View } from '@tarojs/components'
import { coordinateInput, type MapLocationInput } from '@/contract/location'
import { Field } from '@/components/form/field'

/** A place's coordinates as typed: latitude and longitude text. */
export interface CoordinatesDraft {
  latitude: string
  longitude: string
}

export const noCoordinates: CoordinatesDraft = { latitude: '', longitude: '' }

/**
 * The `location` a form sends: none when both are blank; otherwise both as typed (numbers when
 * they read as numbers), so that the contract's message says what is missing or wrong.
 */
export function locationOf(draft: CoordinatesDraft): Partial<MapLocationInput> | undefined {
  if (!draft.latitude.trim() && !draft.longitude.trim()) return undefined
  return {
    latitude: coordinateInput(draft.latitude),
    longitude: coordinateInput(draft.longitude),
  } as Partial<MapLocationInput>
}

/** Props of the map-position field. */
export interface LocationFieldProps {
  label: string
  value: CoordinatesDraft
  onChange: (value: CoordinatesDraft) => void
  error?: string | null
  /** Prefix of the inputs' classes (`<prefix>-lat`, `<prefix>-lng`). */
  classPrefix: string
}

/**
 * 地图位置 in a staff form: latitude, then longitude (GCJ-02, as 腾讯地图 and 高德地图 show a picked
 * place), optional; with a hint on where to find them and which comes first.
 */
export function LocationField({ label, value, onChange, error, classPrefix }: LocationFieldProps) {
  return (
    <Field label={label} error={error}>
      <View className="location-field">
        <Input
          className={`input ${classPrefix}-lat`}
          type="digit"
          value={value.latitude}
          placeholder="纬度，如 39.9060"
          onInput={(e) => onChange({ ...value, latitude: e.detail.value })}
        />
        <Input
          className={`input ${classPrefix}-lng`}
          type="digit"
          value={value.longitude}
          placeholder="经度，如 116.2178"
          onInput={(e) => onChange({ ...value, longitude: e.detail.value })}
        />
      </View>
      <Text className="muted location-field-hint">
        在腾讯地图或高德地图中点选该地点即可看到坐标；纬度在前（北京约 39.9），经度在后（北京约
        116.4）。不填则会员看不到「查看地图」。
      </Text>
    </Field>
  )
}
