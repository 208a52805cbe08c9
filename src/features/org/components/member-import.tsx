import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MemberImport } from '@/contract/org'
import { saveTextFile } from '@/services/download'
import { errorMessage } from '@/services/http'
import {
  getMemberImport,
  getMemberImportRejectsCsv,
  openMemberImportRejectsXlsx,
  rosterFileType,
  startMemberImport,
} from '@/services/org'
import '@/components/form/form.scss'
import './member-import.scss'

const POLL_MS = 1000

/** A roster file the person picked: its name and bytes. */
interface PickedFile {
  name: string
  data: ArrayBuffer
}

/** H5: a hidden `<input type="file">`; weapp: a file from a chat (`chooseMessageFile`). */
async function pickFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    return new Promise((resolve) => {
      const input = document.createElement('input')
      input.type = 'file'
      input.accept = '.csv,.xlsx,text/csv'
      input.style.display = 'none'
      input.onchange = () => {
        const file = input.files?.[0]
        input.remove()
        if (!file) return resolve(null)
        file.arrayBuffer().then(
          (data) => resolve({ name: file.name, data }),
          () => resolve(null),
        )
      }
      document.body.appendChild(input)
      input.click()
    })
  }
  const chosen = await Taro.chooseMessageFile({
    count: 1,
    type: 'file',
    extension: ['csv', 'xlsx'],
  })
  const file = chosen.tempFiles[0]
  if (!file) return null
  const data = await new Promise<ArrayBuffer>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: file.path,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: reject,
    })
  })
  return { name: file.name, data }
}

function percent(imp: MemberImport): number {
  if (imp.status === 'done') return 100
  return imp.total > 0 ? Math.min(100, Math.floor((imp.done / imp.total) * 100)) : 0
}

/**
 * 导入会员 (staff and admins): pick a `.csv` or `.xlsx` roster (会员号、姓名、手机号、工会, optional
 * 角色), upload it, follow the import's progress, then download the rows it refused.
 */
export function MemberImportPanel() {
  const [imp, setImp] = useState<MemberImport | null>(null)
  const [fileName, setFileName] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [saving, setSaving] = useState<'xlsx' | 'csv' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )

  const follow = (id: number) => {
    timer.current = setTimeout(async () => {
      try {
        const next = await getMemberImport(id)
        setImp(next)
        if (next.status === 'running') follow(id)
      } catch (e) {
        setError(errorMessage(e))
        follow(id)
      }
    }, POLL_MS)
  }

  const choose = async () => {
    if (busy) return
    setError(null)
    const file = await pickFile().catch(() => null)
    if (!file) return
    const type = rosterFileType(file.name)
    if (!type) {
      setError('请选择 .csv 或 .xlsx 文件')
      return
    }
    setBusy(true)
    setFileName(file.name)
    setImp(null)
    try {
      const started = await startMemberImport(file.data, type)
      setImp(started)
      if (started.status === 'running') follow(started.id)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  /**
   * The refused rows as Excel (opened to forward on weapp, downloaded on H5) or, on H5, as CSV
   * for another system; one at a time.
   */
  const downloadRejects = async (format: 'xlsx' | 'csv') => {
    if (!imp || saving) return
    setError(null)
    setSaving(format)
    try {
      const saved =
        format === 'xlsx'
          ? await openMemberImportRejectsXlsx(imp.id)
          : await saveTextFile(
              `导入会员-${imp.id}-未导入.csv`,
              await getMemberImportRejectsCsv(imp.id),
              'text/csv;charset=utf-8',
            )
      if (saved.kind === 'downloaded') {
        Taro.showToast({ title: '已开始下载', icon: 'success' }).catch(() => undefined)
      } else if (saved.kind === 'saved') {
        await Taro.showModal({
          title: '文件已保存',
          content: `文件保存在：${saved.path}`,
          showCancel: false,
          confirmText: '知道了',
        })
      }
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(null)
    }
  }

  const running = busy || imp?.status === 'running'
  return (
    <View className="member-import">
      <View className="card member-import-help">
        <Text className="member-import-title">从表格导入会员</Text>
        <Text className="muted">
          第一行为列名：会员号、姓名、手机号、工会（工会编号或完整路径，如
          北京市总工会/中关村科学城工会/小米工会），可选 角色。同一文件重复导入不会重复创建。
        </Text>
        <Button
          className={
            running
              ? 'btn btn-primary btn-block member-import-choose is-busy'
              : 'btn btn-primary btn-block member-import-choose'
          }
          disabled={running || undefined}
          onClick={() => void choose()}
        >
          {busy ? '上传中…' : imp?.status === 'running' ? '导入中…' : '选择文件并导入'}
        </Button>
        {error ? <Text className="form-error member-import-error">{error}</Text> : null}
      </View>
      {imp ? (
        <View className="card member-import-progress">
          {fileName ? <Text className="muted">{fileName}</Text> : null}
          <View className="member-import-bar">
            <View className="member-import-bar-fill" style={{ width: `${percent(imp)}%` }} />
          </View>
          <Text className="member-import-status">
            {imp.status === 'running'
              ? `导入中 ${imp.done} / ${imp.total || '…'}`
              : imp.status === 'done'
                ? `导入完成，共 ${imp.total} 行`
                : `导入失败：${imp.error ?? '请稍后重试'}`}
          </Text>
          <View className="member-import-counts">
            <Text>新增 {imp.created}</Text>
            <Text>更新 {imp.updated}</Text>
            <Text>未导入 {imp.rejected}</Text>
          </View>
          {imp.rejected > 0 && imp.status !== 'running' ? (
            <View className="member-import-rejects-actions">
              <Button
                className={`btn btn-primary member-import-rejects${saving === 'xlsx' ? ' is-busy' : ''}`}
                disabled={saving !== null || undefined}
                onClick={() => void downloadRejects('xlsx')}
              >
                {saving === 'xlsx'
                  ? '正在准备文件…'
                  : process.env.TARO_ENV === 'weapp'
                    ? '打开未导入的行（Excel，可转发到电脑）'
                    : '下载未导入的行（Excel）'}
              </Button>
              {/* A CSV saved inside the mini-program opens nowhere: H5 only, for other systems. */}
              {process.env.TARO_ENV === 'weapp' ? null : (
                <Button
                  className={`btn btn-ghost member-import-rejects-csv${saving === 'csv' ? ' is-busy' : ''}`}
                  disabled={saving !== null || undefined}
                  onClick={() => void downloadRejects('csv')}
                >
                  {saving === 'csv' ? '正在准备文件…' : '下载 CSV（供其他系统导入）'}
                </Button>
              )}
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
