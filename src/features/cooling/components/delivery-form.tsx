import { Input, Text, View } from '@tarojs/components'
import type { CoolingSite } from '@/contract/cooling'
import type { FieldErrors } from '@/services/validation'
import type { DeliveryDraft } from '@/features/cooling/pack-store'

/** Props of the delivery form. */
export interface DeliveryFormProps {
  draft: DeliveryDraft
  /** Work sites of the member's enterprise. */
  sites: CoolingSite[]
  /** The union that hands out packs for pickup. */
  unionName: string
  errors: FieldErrors
  onChange: (patch: Partial<DeliveryDraft>) => void
}

/** 配送方式: pick up at the union, or a work site with recipient and mobile number. */
export function DeliveryForm({ draft, sites, unionName, errors, onChange }: DeliveryFormProps) {
  const kind = (k: DeliveryDraft['kind'], title: string, note: string) => (
    <View
      className={`delivery-kind delivery-kind-${k}${draft.kind === k ? ' is-on' : ''}`}
      onClick={() => onChange({ kind: k })}
    >
      <Text className="delivery-kind-title">{title}</Text>
      <Text className="delivery-kind-note">{note}</Text>
    </View>
  )
  return (
    <View className="card delivery-form">
      <Text className="section-title">配送方式</Text>
      <View className="delivery-kinds">
        {kind('pickup', '到工会自取', unionName)}
        {kind('site', '配送到工作地点', '项目部、工地等')}
      </View>
      {draft.kind === 'site' ? (
        <View className="delivery-site-fields">
          <Text className="field-label">收货地点</Text>
          {sites.length === 0 ? (
            <Text className="muted delivery-no-sites">
              你所在的企业还没有登记工作地点，请选择到工会自取，或联系工会添加。
            </Text>
          ) : (
            sites.map((site) => (
              <View
                key={site.id}
                className={draft.siteId === site.id ? 'delivery-site is-on' : 'delivery-site'}
                onClick={() => onChange({ siteId: site.id })}
              >
                <Text className="delivery-site-name">{site.name}</Text>
                <Text className="delivery-site-address">{site.address}</Text>
              </View>
            ))
          )}
          {errors.siteId ? <Text className="field-error">{errors.siteId}</Text> : null}
          <View className="field delivery-field">
            <Text className="field-label">收件人</Text>
            <Input
              className="input delivery-recipient"
              value={draft.recipient}
              maxlength={20}
              placeholder="收件人姓名"
              onInput={(e) => onChange({ recipient: e.detail.value })}
            />
            {errors.recipient ? <Text className="field-error">{errors.recipient}</Text> : null}
          </View>
          <View className="field delivery-field">
            <Text className="field-label">手机号码</Text>
            <Input
              className="input delivery-phone"
              type="number"
              value={draft.phone}
              maxlength={11}
              placeholder="11 位手机号码"
              onInput={(e) => onChange({ phone: e.detail.value })}
            />
            {errors.phone ? <Text className="field-error">{errors.phone}</Text> : null}
          </View>
        </View>
      ) : null}
    </View>
  )
}
