import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import type { MemberSummary } from '@/contract/org'
import { createLawyerBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import { errorMessage } from '@/services/http'
import { createLawyer } from '@/services/legal'
import { searchMembers } from '@/services/org'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** 律师 (staff): the lawyers and a form to add the profile of a member with the lawyer role. */
export function LegalLawyersAdmin() {
  const gate = useLegalAdmin()
  const { lawyers, addLawyer } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createLawyer>>>()
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
  const submit = () =>
    form.send(
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
        <View key={l.id} className="card">
          <Text className="staff-tool-title">{l.name}</Text>
          <Text className="staff-item-meta">{l.firm}</Text>
          <Text className="staff-item-meta">{l.specialties.join('、')}</Text>
        </View>
      ))}
      <Text className="section-title">添加律师</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
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
        <Field label="律师事务所" error={form.errors.firm}>
          <Input
            className="input"
            value={firm}
            onInput={(e) => (setFirm(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="擅长领域（用逗号或顿号分隔）" error={form.errors.specialties}>
          <Input
            className="input"
            value={specialties}
            placeholder="劳动合同、工伤认定"
            onInput={(e) => (setSpecialties(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="简介" error={form.errors.bio}>
          <Textarea
            className="textarea"
            value={bio}
            maxlength={500}
            onInput={(e) => (setBio(e.detail.value), form.changed())}
          />
        </Field>
        <SaveButton
          className="legal-admin-save"
          busy={form.busy}
          onClick={() => void submit()}
          label="添加律师"
        />
      </View>
    </View>
  )
}
