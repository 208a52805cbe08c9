import { useCallback, useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type {
  ItemQuantity,
  PackingDestination,
  PackingListResponse,
  PackingPack,
} from '@/contract/cooling'
import { packStatusLabels } from '@/features/cooling/labels'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { errorMessage } from '@/services/http'
import {
  getPackingList,
  getPackingListCsv,
  openPackingListXlsx,
  shipPackingGroup,
} from '@/services/cooling'
import { saveTextFile } from '@/services/download'
import { useStaffCoolingStore } from '@/features/cooling/staff/cooling-store'
import '@/components/staff-list.scss'
import './cooling-staff.scss'

/** Props of the packing list. */
export interface PackingListViewProps {
  campaignId: number
}

function quantities(list: ItemQuantity[]): string {
  const chosen = list.filter((q) => q.quantity > 0)
  return chosen.length ? chosen.map((q) => `${q.name} × ${q.quantity}`).join('，') : '无'
}

/** `若羌光伏项目部` or `到工会自取`. */
function groupName(group: PackingDestination): string {
  return group.kind === 'pickup' ? '到工会自取' : group.name
}

/** A destination's key in the list: its site id, or `pickup`. */
const keyOf = (d: { siteId: number | null }) => (d.siteId === null ? 'pickup' : String(d.siteId))

/** Packs per page the list loads. */
const PAGE = 200

/** The packs of a destination loaded so far, and the cursor of its next page. */
interface Loaded {
  packs: PackingPack[]
  next: string | null
}

/** What the first page (or a destination's page) brings, by destination. */
function loadedOf(page: PackingListResponse): Record<string, Loaded> {
  const out: Record<string, Loaded> = {}
  const last = page.groups.at(-1)
  for (const g of page.groups) {
    out[keyOf(g)] = { packs: g.packs, next: g === last ? page.next : null }
  }
  return out
}

/** The packing list as an .xlsx: downloaded on H5, opened (to forward) on weapp. */
async function downloadXlsx(campaignId: number, title: string): Promise<void> {
  const saved = await openPackingListXlsx(campaignId, title)
  if (saved.kind === 'downloaded') {
    Taro.showToast({ title: '已开始下载', icon: 'success' }).catch(() => undefined)
  }
}

async function downloadCsv(campaignId: number, title: string): Promise<void> {
  const csv = await getPackingListCsv(campaignId)
  const saved = await saveTextFile(`${title}-装箱单.csv`, csv, 'text/csv;charset=utf-8')
  if (saved.kind === 'downloaded') {
    Taro.showToast({ title: '已开始下载', icon: 'success' }).catch(() => undefined)
  } else {
    await Taro.showModal({
      title: '装箱单已保存',
      content: `文件保存在：${saved.path}，可在电脑端微信或文件管理中打开。`,
      showCancel: false,
      confirmText: '知道了',
    })
  }
}

/**
 * 装箱单: per destination the item totals and every pack (recipient, phone, items, state), the
 * campaign's counts, 下载装箱单 (xlsx; CSV for other systems), and 标记已发货 per destination once the campaign is closed.
 */
export function PackingListView({ campaignId }: PackingListViewProps) {
  const staff = useStaffCoolingStore()
  const [list, setList] = useState<PackingListResponse | null>(null)
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)

  // The first page: every destination with its totals, and the first packs in list order.
  const load = useCallback(async () => {
    setError(null)
    try {
      const page = await getPackingList(campaignId, { limit: PAGE })
      setList(page)
      setLoaded(loadedOf(page))
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [campaignId])

  useEffect(() => {
    void load()
    if (useStaffCoolingStore.getState().status !== 'loading') {
      void useStaffCoolingStore.getState().load()
    }
  }, [load])

  /** The next packs of one destination. */
  const more = async (d: PackingDestination) => {
    const key = keyOf(d)
    const have = loaded[key]
    setBusy(`more:${key}`)
    try {
      const page = await getPackingList(campaignId, {
        site: d.siteId ?? 'pickup',
        limit: PAGE,
        ...(have?.next ? { cursor: have.next } : {}),
      })
      const packs = page.groups.flatMap((g) => g.packs)
      setLoaded((was) => ({
        ...was,
        [key]: {
          packs: [...(have?.next ? (was[key]?.packs ?? []) : []), ...packs],
          next: page.next,
        },
      }))
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    } finally {
      setBusy(null)
    }
  }

  if (error && !list) return <ErrorState message={error} onRetry={() => void load()} />
  if (!list) return <LoadingState />

  const campaign = staff.campaigns.find((c) => c.id === campaignId)
  const counts = campaign?.counts

  const download = async (format: 'xlsx' | 'csv') => {
    setBusy(format)
    try {
      if (format === 'xlsx') await downloadXlsx(campaignId, list.campaign.title)
      else await downloadCsv(campaignId, list.campaign.title)
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    } finally {
      setBusy(null)
    }
  }

  const ship = async (group: PackingDestination) => {
    const waiting = group.waiting
    const { confirm } = await Taro.showModal({
      title: '标记已发货',
      content: `确定将「${groupName(group)}」的 ${waiting} 份礼包标记为已发货吗？会员将看到“已发货”。`,
      confirmText: '确定发货',
      confirmColor: '#d4380d',
      cancelText: '再想想',
    })
    if (!confirm) return
    const key = String(group.siteId ?? 'pickup')
    setBusy(key)
    try {
      const shipped = await shipPackingGroup(campaignId, group.siteId ?? 'pickup')
      Taro.showToast({ title: `已发货 ${shipped} 份`, icon: 'success' }).catch(() => undefined)
      await Promise.all([load(), useStaffCoolingStore.getState().load()])
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    } finally {
      setBusy(null)
    }
  }

  return (
    <View className="page packing-list">
      <View className="card">
        <Text className="staff-item-name">{list.campaign.title}</Text>
        <Text className="staff-item-meta">{list.campaign.unionName}</Text>
        {list.campaign.final ? null : (
          <Text className="form-error packing-not-final">
            {campaign?.close.status === 'running'
              ? '正在生成默认礼包，装箱单尚未完成'
              : '活动还没有结束，会员仍可修改礼包，装箱单可能变化'}
          </Text>
        )}
        {counts ? (
          <View className="cooling-counts">
            {(
              [
                ['chosen', '自选', counts.chosen],
                ['default', '默认礼包', counts.default],
                ['shipped', '已发货', counts.shipped],
                ['received', '已签收', counts.received],
              ] as const
            ).map(([key, label, n]) => (
              <View key={key} className={`cooling-count cooling-count-${key}`}>
                <Text className="cooling-count-value">{n}</Text>
                <Text className="cooling-count-label">{label}</Text>
              </View>
            ))}
          </View>
        ) : null}
        <Text className="staff-item-meta packing-total">
          共 {list.packCount} 份：{quantities(list.totals)}
        </Text>
        <Button
          className={
            busy === 'xlsx'
              ? 'btn btn-primary btn-block packing-download is-busy'
              : 'btn btn-primary btn-block packing-download'
          }
          disabled={busy === 'xlsx' || undefined}
          onClick={() => busy !== 'xlsx' && void download('xlsx')}
        >
          {busy === 'xlsx' ? '正在生成…' : '下载装箱单（Excel）'}
        </Button>
        <Button
          className={
            busy === 'csv'
              ? 'btn btn-ghost btn-block packing-download-csv is-busy'
              : 'btn btn-ghost btn-block packing-download-csv'
          }
          disabled={busy === 'csv' || undefined}
          onClick={() => busy !== 'csv' && void download('csv')}
        >
          {busy === 'csv' ? '正在生成…' : 'CSV（给系统导入）'}
        </Button>
      </View>

      {list.destinations.length === 0 ? <EmptyState text="还没有会员提交礼包" /> : null}
      {list.destinations.map((group) => {
        const key = keyOf(group)
        const packs = loaded[key]?.packs ?? []
        const waiting = group.waiting
        const moreKey = `more:${key}`
        return (
          <View key={key} className="card packing-group">
            <Text className="packing-group-name">{groupName(group)}</Text>
            {group.address ? <Text className="staff-item-meta">{group.address}</Text> : null}
            {group.recipient ? (
              <Text className="staff-item-meta">现场收货人：{group.recipient}</Text>
            ) : null}
            {group.unionName ? <Text className="staff-item-meta">{group.unionName}</Text> : null}
            <Text className="packing-group-totals">
              {group.packCount} 份：{quantities(group.totals)}
            </Text>
            {packs.map((p) => (
              <View key={p.packId} className="packing-pack">
                <View className="packing-pack-head">
                  <Text className="packing-recipient">
                    {p.recipient} {p.phone ?? ''}
                  </Text>
                  <Text className={`pickup-status is-${p.status}`}>
                    {packStatusLabels[p.status]}
                  </Text>
                </View>
                <Text className="staff-item-meta">
                  {p.memberName}（{p.memberNo}）{p.isDefault ? ' · 默认礼包' : ''}
                </Text>
                <Text className="staff-item-meta">{quantities(p.items)}</Text>
                {p.shippedTo &&
                (p.shippedTo.name !== group.name ||
                  p.shippedTo.address !== group.address ||
                  p.shippedTo.recipient !== group.recipient) ? (
                  <Text className="staff-item-meta packing-shipped-to">
                    已寄往：{p.shippedTo.name} · {p.shippedTo.address}
                    {p.shippedTo.recipient ? ` · 收货人 ${p.shippedTo.recipient}` : ''}
                  </Text>
                ) : null}
              </View>
            ))}
            {packs.length < group.packCount ? (
              <Button
                className={
                  busy === moreKey
                    ? 'btn btn-ghost btn-block packing-more is-busy'
                    : 'btn btn-ghost btn-block packing-more'
                }
                disabled={busy === moreKey || undefined}
                onClick={() => busy === null && void more(group)}
              >
                {busy === moreKey
                  ? '加载中…'
                  : `${packs.length === 0 ? '显示' : '再显示'}礼包（已显示 ${packs.length} / ${group.packCount} 份）`}
              </Button>
            ) : null}
            {list.campaign.final && waiting > 0 ? (
              <Button
                className={
                  busy === key
                    ? 'btn btn-primary btn-block packing-ship is-busy'
                    : 'btn btn-primary btn-block packing-ship'
                }
                disabled={busy === key || undefined}
                onClick={() => busy === null && void ship(group).catch(() => undefined)}
              >
                {busy === key ? '处理中…' : `标记本地点 ${waiting} 份已发货`}
              </Button>
            ) : null}
            {list.campaign.final && waiting === 0 ? (
              <Text className="form-success packing-all-shipped">本地点已全部发货</Text>
            ) : null}
          </View>
        )
      })}
    </View>
  )
}
