import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import type { MemberSummary } from '@/contract/org'
import { createLawyerBody, patchLawyerBody, type Lawyer } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import { errorMessage } from '@/services/http'
import { createLawyer, patchLawyer, retireLawyer } from '@/services/legal'
import { searchMembers } from '@/services/org'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import { RetiredBadge, RowActions, useRowAction } from '@/features/legal/staff/row-actions'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** 律师 (staff): the lawyers and a form to add the profile of a member with the lawyer role. */
export function LegalLawyersAdmin() {
  const gate = useLegalAdmin()
  const { lawyers, addLawyer, replaceLawyer } = useStaffLegalStore()
  const form = useCreateForm<Lawyer>()
  const rows = useRowAction()
  /** The lawyer whose profile is being changed, or null: a new profile. */
  const [editing, setEditing] = useState<Lawyer | null>(null)
  const [q, setQ] = useState('')
  const [found, setFound] = useState<MemberSummary[]>([])
  const [member, setMember] = useState<MemberSummary | null>(null)
  const [firm, setFirm] = useState('')
  const [specialties, setSpecialties] = useState('')
  const [bio, setBio] = useState('')
  if (gate) return gate

  const search = async () => {
    try {
      setFound(await searchMembers({ q: q.trim(), limit: 20 }))
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' }).catch(() => undefined)
    }
  }
  const body = () => ({
    memberId: member?.id ?? 0,
    firm,
    specialties: specialties
      .split(/[,，、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    bio,
  })
  const profile = () => ({ firm, specialties: body().specialties, bio })
  const reset = () => {
    setEditing(null)
    setMember(null)
    setFirm('')
    setSpecialties('')
    setBio('')
  }
  const startEditing = (l: Lawyer) => {
    setEditing(l)
    setFirm(l.firm)
    setSpecialties(l.specialties.join('、'))
    setBio(l.bio)
    form.setErrors({})
  }
  const retire = (l: Lawyer) =>
    rows.run(
      l.id,
      {
        title: '停用律师',
        content: `停用后${l.name}律师不再出现在预约页，排班一并停用。还有待进行的预约时不能停用。`,
        confirmText: '停用',
      },
      () => retireLawyer(l.id),
      replaceLawyer,
    )
  const submit = () =>
    editing
      ? form.send(
          () => validate(patchLawyerBody, profile()),
          () => patchLawyer(editing.id, profile()),
          (lawyer) => (replaceLawyer(lawyer), reset()),
          { toast: '已保存' },
        )
      : form.send(
          () => {
            const checked = validate(createLawyerBody, body())
            if (!member)
              return {
                ok: false,
                errors: { memberId: '请先搜索并选择会员', ...(checked.ok ? {} : checked.errors) },
              }
            return checked
          },
          (options) => createLawyer(body(), options),
          (lawyer) => {
            addLawyer(lawyer)
            setMember(null)
            setFirm('')
            setSpecialties('')
            setBio('')
          },
        )

  return (
    <View className="page legal-lawyers-admin">
      <Text className="section-title">律师（{lawyers.length}）</Text>
      {lawyers.length === 0 ? <EmptyState text="还没有律师" /> : null}
      {lawyers.map((l) => (
        <View key={l.id} className={`card${l.retiredAt ? ' is-retired' : ''}`}>
          <Text className="staff-tool-title">
            {l.name}
            <RetiredBadge at={l.retiredAt} />
          </Text>
          <Text className="staff-item-meta">{l.firm}</Text>
          <Text className="staff-item-meta">{l.specialties.join('、')}</Text>
          {l.retiredAt ? null : (
            <RowActions
              onEdit={() => startEditing(l)}
              onRetire={() => void retire(l)}
              busy={rows.busyId === l.id}
              error={rows.errorOf(l.id)}
            />
          )}
        </View>
      ))}
      <Text className="section-title">
        {editing ? `修改律师资料：${editing.name}` : '添加律师'}
      </Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        {editing ? null : (
          <Field label="会员（需已有律师身份）" error={form.errors.memberId}>
            <View className="legal-admin-date">
              <Input
                className="input legal-member-q"
                value={q}
                placeholder="姓名或会员号"
                onInput={(e) => setQ(e.detail.value)}
              />
              <Button className="btn btn-ghost" onClick={() => void search()}>
                搜索
              </Button>
            </View>
            <View className="legal-admin-choices">
              {found.map((m) => (
                <View
                  key={m.id}
                  className={`legal-admin-choice${member?.id === m.id ? ' is-on' : ''}`}
                  onClick={() => {
                    setMember(m)
                    form.changed()
                  }}
                >
                  {m.name}（{m.memberNo}）
                </View>
              ))}
            </View>
          </Field>
        )}
        <Field label="律师事务所" error={form.errors.firm}>
          <Input
            className="input"
            value={firm}
            onInput={(e) => (setFirm(e.detail.value), form.changed('firm'))}
          />
        </Field>
        <Field label="擅长领域（用逗号或顿号分隔）" error={form.errors.specialties}>
          <Input
            className="input"
            value={specialties}
            placeholder="劳动合同、工伤认定"
            onInput={(e) => (setSpecialties(e.detail.value), form.changed('specialties'))}
          />
        </Field>
        <Field label="简介" error={form.errors.bio}>
          <Textarea
            className="textarea"
            value={bio}
            maxlength={500}
            onInput={(e) => (setBio(e.detail.value), form.changed('bio'))}
          />
        </Field>
        <SaveButton
          className="legal-admin-save"
          busy={form.busy}
          onClick={() => void submit()}
          label={editing ? '保存修改' : '添加律师'}
        />
        {editing ? (
          <View className="btn btn-ghost btn-block" onClick={() => (reset(), form.setErrors({}))}>
            放弃修改
          </View>
        ) : null}
      </View>
    </View>
  )
}
