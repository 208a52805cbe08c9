import { Text, View } from '@tarojs/components'
import type { Lawyer } from '@/contract/legal'

/** Props of a lawyer card. */
export interface LawyerCardProps {
  lawyer: Lawyer
  selected?: boolean
  onClick?: () => void
}

/** A lawyer: name, firm, specialties as tags and the short bio. */
export function LawyerCard({ lawyer, selected, onClick }: LawyerCardProps) {
  return (
    <View className={`card lawyer-card${selected ? ' is-on' : ''}`} onClick={onClick}>
      <Text className="lawyer-name">{lawyer.name} 律师</Text>
      <Text className="lawyer-firm">{lawyer.firm}</Text>
      {lawyer.specialties.length ? (
        <View className="lawyer-tags">
          {lawyer.specialties.map((s) => (
            <Text key={s} className="lawyer-tag">
              {s}
            </Text>
          ))}
        </View>
      ) : null}
      {lawyer.bio ? <Text className="lawyer-bio">{lawyer.bio}</Text> : null}
    </View>
  )
}
