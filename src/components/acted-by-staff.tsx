import { Text } from '@tarojs/components'
import './acted-by-staff.scss'

/** Props of the 代办 note. */
export interface ActedByStaffProps {
  /** The thing's `actedByStaff` (true when union staff did it for the member). */
  when?: boolean
}

/** 「由工会工作人员代办」 on a registration, pack, booking or order staff made for the member. */
export function ActedByStaff({ when }: ActedByStaffProps) {
  return when ? <Text className="acted-by-staff">由工会工作人员代办</Text> : null
}
