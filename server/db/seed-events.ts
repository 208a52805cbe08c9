import { sql } from 'drizzle-orm'
import { startOfShanghaiDay } from '../lib/time'
import { newAttendeeId, newEventCheckinCode, newPersonalCheckinCode } from '../modules/events/codes'
import type { Tx } from './client'
import { first, rows } from './sql'

/** A moment `days` days from `from`'s Shanghai day, at `hour`:00 Shanghai time. */
function shanghaiAt(from: Date, days: number, hour: number): Date {
  return new Date(startOfShanghaiDay(from, days).getTime() + hour * 3600_000)
}

const nicknames = [
  '运河边的风',
  '小鹿',
  '橘子汽水',
  '晴天',
  '阿杰',
  '向日葵',
  '慢热的猫',
  '山海',
  '北漂小王',
  '星星点灯',
  '夏天的西瓜',
  '木子',
]
const intros = [
  '喜欢骑行和摄影，周末常去大运河森林公园',
  '程序员，会做饭，爱看电影',
  '喜欢爬山、羽毛球，性格开朗',
  '在廊坊工作，喜欢读书和旅行',
  '热爱跑步，正在准备半马',
  '养了一只橘猫，喜欢烘焙',
]

/**
 * The demo mixer 「爱在运河畔 缘定副中心」 (PRODUCT.md): co-hosted by 通州, 武清 and 廊坊 unions,
 * sign-up open now, the event five days ahead; 200 places (100 per gender), born 1986–2004;
 * 20 points for checking in; twelve demo members (M0289–M0300) have signed up already.
 *
 * Check-in opens an hour before the start, groups and flowers follow the start: to show the day
 * of the mixer in a demo, staff move its times with 修改活动 (PATCH /staff/events/:id), as the
 * weapp and e2e journeys do.
 */
export async function seedEvents(tx: Tx): Promise<void> {
  const now = new Date()
  const creator = await first<{ id: number }>(
    tx,
    sql`SELECT id FROM members WHERE member_no = 'S0001'`,
  )
  if (!creator) throw new Error('seed: S0001 missing')
  const event = await first<{ id: number }>(
    tx,
    sql`INSERT INTO events (title, venue, description, starts_at, ends_at, signup_opens_at,
                            signup_closes_at, capacity, capacity_male, capacity_female,
                            min_birth_year, max_birth_year, checkin_code, checkin_points,
                            created_by)
        VALUES ('爱在运河畔 缘定副中心', '北京城市副中心 大运河森林公园 月岛闻莺',
                ${'通州区总工会、武清区总工会、廊坊市总工会联合举办的青年职工联谊活动：破冰游戏、分组交流（男嘉宾每轮换组），最后每人 3 朵虚拟鲜花送给心仪的 TA，互送即牵手成功。'},
                ${shanghaiAt(now, 5, 14)}, ${shanghaiAt(now, 5, 18)},
                ${shanghaiAt(now, -1, 9)}, ${shanghaiAt(now, 4, 18)},
                200, 100, 100, 1986, 2004, ${newEventCheckinCode()}, 20, ${creator.id})
        RETURNING id`,
  )
  if (!event) throw new Error('seed: event')
  // The venue on the map (GCJ-02, 腾讯地图): 月岛闻莺 in the 大运河森林公园.
  await tx.execute(
    sql`UPDATE events SET venue_latitude = 39.8855, venue_longitude = 116.7193,
                          venue_address = '北京市通州区 宋梁路 大运河森林公园 月岛闻莺'
        WHERE id = ${event.id}`,
  )
  await tx.execute(
    sql`INSERT INTO event_hosts (event_id, union_id)
        SELECT ${event.id}, id FROM unions
        WHERE name IN ('通州区总工会', '武清区总工会', '廊坊市总工会')`,
  )
  const early = await rows<{ id: number; member_no: string }>(
    tx,
    sql`SELECT id, member_no FROM members
        WHERE member_no BETWEEN 'M0289' AND 'M0300' ORDER BY member_no`,
  )
  let seq = 0
  let male = 0
  let female = 0
  for (const [i, m] of early.entries()) {
    const gender = i % 2 === 0 ? 'male' : 'female'
    if (gender === 'male') male++
    else female++
    seq++
    // Some chose to show their gender and birth year to other attendees; most did not.
    const showDetails = i % 3 === 0
    await tx.execute(
      sql`INSERT INTO event_registrations (event_id, member_id, public_id, checkin_code, nickname,
                                           gender, birth_year, intro, show_details, status,
                                           queue_seq)
          VALUES (${event.id}, ${m.id}, ${newAttendeeId()}, ${newPersonalCheckinCode()},
                  ${nicknames[i % nicknames.length]}, ${gender}, ${1990 + ((i * 3) % 12)},
                  ${intros[i % intros.length]}, ${showDetails}, 'confirmed', ${seq})`,
    )
  }
  await tx.execute(
    sql`UPDATE events SET confirmed_male = ${male}, confirmed_female = ${female}, signup_seq = ${seq}
        WHERE id = ${event.id}`,
  )
}
