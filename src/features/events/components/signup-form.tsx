import { useState } from 'react'
import { Button, Input, Picker, Switch, Text, Textarea, View } from '@tarojs/components'
import { profile, type Gender, type MemberEvent } from '@/contract/events'
import { genderLabels } from '@/features/events/labels'
import { validate, type FieldErrors } from '@/services/validation'
import { birthYearOptions, birthYearRangeText, DEFAULT_PICKER_YEAR } from '@/features/events/format'
import { useEventStore } from '@/features/events/event-store'

/** Props of the sign-up form. */
export interface SignupFormProps {
  event: MemberEvent
}

const years = birthYearOptions()
const yearLabels = years.map((y) => `${y} 年`)
const genders: Gender[] = ['male', 'female']
const NICKNAME_MAX = 20
const INTRO_MAX = 100

/**
 * 填写报名资料: nickname, gender, birth year (picker), one line about oneself, and whether other
 * attendees may see the gender and birth year (off unless switched on). The form says what others
 * will see. The contract's schema checks it (its Chinese messages appear under the fields); the
 * server's refusal above.
 */
export function SignupForm({ event }: SignupFormProps) {
  const { busy, signupError, signUp } = useEventStore()
  const [nickname, setNickname] = useState('')
  const [gender, setGender] = useState<Gender | null>(null)
  const [birthYear, setBirthYear] = useState<number | null>(null)
  const [intro, setIntro] = useState('')
  const [showDetails, setShowDetails] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const range = birthYearRangeText(event)
  const sending = busy === 'signup'

  const submit = async () => {
    const checked = validate(profile, {
      nickname,
      gender: gender ?? undefined,
      birthYear: birthYear ?? undefined,
      intro,
      showDetails,
    })
    const problems: FieldErrors = checked.ok ? {} : { ...checked.errors }
    // The event's age range: say so here rather than wait for the server's NOT_ELIGIBLE.
    if (birthYear !== null && !problems.birthYear && range) {
      const tooOld = event.minBirthYear !== null && birthYear < event.minBirthYear
      const tooYoung = event.maxBirthYear !== null && birthYear > event.maxBirthYear
      if (tooOld || tooYoung) problems.birthYear = `本次活动仅限 ${range}的职工报名`
    }
    if (!checked.ok || Object.keys(problems).length) {
      setErrors(problems)
      return
    }
    setErrors({})
    await signUp(checked.data)
  }

  const pickerIndex = years.indexOf(birthYear ?? DEFAULT_PICKER_YEAR)
  // Capped per gender: what counts is the places left for the gender picked.
  const placesLeft =
    gender && event.placesLeftPerGender
      ? Math.min(event.placesLeftPerGender[gender], event.placesLeft)
      : event.placesLeft

  return (
    <View className="card signup-form">
      <Text className="section-title">填写报名资料</Text>
      <Text className="muted signup-note">
        其他参加者只会看到你的昵称和自我介绍；性别和出生年份只有主办方工作人员能看到，除非你在下方选择向其他参加者展示。你的姓名和会员号不会展示给任何参加者。
      </Text>
      {signupError ? <Text className="form-error signup-error">{signupError}</Text> : null}

      <View className="field">
        <Text className="field-label">昵称</Text>
        <Input
          className="input signup-nickname"
          placeholder={`1–${NICKNAME_MAX} 个字`}
          value={nickname}
          maxlength={NICKNAME_MAX}
          onInput={(e) => setNickname(e.detail.value)}
        />
        {errors.nickname ? <Text className="field-error">{errors.nickname}</Text> : null}
      </View>

      <View className="field">
        <Text className="field-label">性别</Text>
        <View className="choice-row">
          {genders.map((g) => (
            <View
              key={g}
              className={
                gender === g ? `choice signup-gender-${g} is-on` : `choice signup-gender-${g}`
              }
              onClick={() => setGender(g)}
            >
              <Text>{genderLabels[g]}</Text>
            </View>
          ))}
        </View>
        {errors.gender ? <Text className="field-error">{errors.gender}</Text> : null}
      </View>

      <View className="field">
        <Text className="field-label">出生年份{range ? `（本次活动限 ${range}）` : ''}</Text>
        <Picker
          mode="selector"
          range={yearLabels}
          value={Math.max(pickerIndex, 0)}
          onChange={(e) => setBirthYear(years[Number(e.detail.value)] ?? null)}
        >
          <View className="picker-value signup-birth-year">
            {birthYear !== null ? `${birthYear} 年` : '请选择出生年份'}
          </View>
        </Picker>
        {errors.birthYear ? <Text className="field-error">{errors.birthYear}</Text> : null}
      </View>

      <View className="field">
        <Text className="field-label">一句话介绍自己（可不填）</Text>
        <Textarea
          className="event-textarea signup-intro"
          value={intro}
          maxlength={INTRO_MAX}
          autoHeight
          placeholder="例如：喜欢爬山和做饭，周末常去运河边骑车"
          onInput={(e) => setIntro(e.detail.value)}
        />
        <Text className="field-count">
          {intro.trim().length}/{INTRO_MAX}
        </Text>
        {errors.intro ? <Text className="field-error">{errors.intro}</Text> : null}
      </View>

      <View className="field signup-switch-field">
        <Text className="field-label">向其他参加者展示我的性别和出生年份</Text>
        <Switch
          className="signup-show-details"
          checked={showDetails}
          color="#d4380d"
          onChange={(e) => setShowDetails(e.detail.value)}
        />
      </View>
      <Text className="muted signup-show-details-note">
        {showDetails
          ? '其他参加者将看到：昵称、自我介绍、性别、出生年份。'
          : '其他参加者将看到：昵称、自我介绍（不展示性别和出生年份）。'}
      </Text>

      {placesLeft === 0 ? (
        <Text className="muted signup-waitlist-note">
          名额已满，提交后将进入候补；有人取消时，按候补顺序自动递补。
        </Text>
      ) : null}
      <Button
        className={
          sending
            ? 'btn btn-primary btn-block signup-submit is-busy'
            : 'btn btn-primary btn-block signup-submit'
        }
        disabled={sending || undefined}
        onClick={() => !sending && void submit()}
      >
        {sending ? '提交中…' : placesLeft > 0 ? '提交报名' : '报名候补'}
      </Button>
    </View>
  )
}
