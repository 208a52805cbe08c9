import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PackingGroup } from '../../src/contract/cooling'
import { attachmentDisposition, csvField, toCsv, UTF8_BOM } from '../../server/modules/cooling/csv'
import { packingCsv } from '../../server/modules/cooling/packing-list'

describe('CSV fields', () => {
  test('plain text and numbers stay as they are; null is empty', () => {
    assert.equal(csvField('若羌光伏项目部'), '若羌光伏项目部')
    assert.equal(csvField(12), '12')
    assert.equal(csvField(null), '')
    assert.equal(csvField(undefined), '')
  })

  test('commas, quotes and line breaks are quoted, quotes doubled', () => {
    assert.equal(csvField('新疆若羌县, 3 号营地'), '"新疆若羌县, 3 号营地"')
    assert.equal(csvField('王"小明"'), '"王""小明"""')
    assert.equal(csvField('一行\n二行'), '"一行\n二行"')
    assert.equal(csvField('a\r\nb'), '"a\r\nb"')
  })

  test('text a spreadsheet would run as a formula is kept as text', () => {
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
    assert.equal(csvField('+86 138'), "'+86 138")
    assert.equal(csvField('-1'), "'-1")
    assert.equal(csvField('@sum'), "'@sum")
    // Numbers are numbers, not formulas.
    assert.equal(csvField(-1), '-1')
  })

  test('a document starts with the BOM and ends its lines with CRLF', () => {
    const doc = toCsv([
      ['a', 'b'],
      [1, null],
    ])
    assert.equal(doc, `${UTF8_BOM}a,b\r\n1,\r\n`)
    assert.equal(Buffer.from(doc, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf')
  })

  test('the attachment name: ASCII fallback plus the Chinese name encoded (RFC 5987)', () => {
    assert.equal(
      attachmentDisposition('list 1.csv', '清凉(1)装箱单.csv'),
      `attachment; filename="list_1.csv"; filename*=UTF-8''%E6%B8%85%E5%87%89%281%29%E8%A3%85%E7%AE%B1%E5%8D%95.csv`,
    )
  })
})

describe('packing list as CSV', () => {
  const tea = { itemId: 2, name: '凉茶', quantity: 2 }
  const list: { items: Array<{ id: number; name: string }>; groups: PackingGroup[] } = {
    items: [
      { id: 1, name: '喷雾运动水壶' },
      { id: 2, name: '凉茶' },
    ],
    groups: [
      {
        kind: 'site',
        siteId: 7,
        name: '若羌光伏项目部',
        address: '新疆若羌县, 光伏产业园',
        recipient: '王站长',
        unionName: '四方继保工会',
        totals: [{ itemId: 1, name: '喷雾运动水壶', quantity: 1 }, tea],
        packs: [
          {
            packId: 3,
            memberId: 8,
            memberNo: 'M0003',
            memberName: '梁佳琪',
            unionName: '四方继保工会',
            recipient: '王"工"',
            phone: '13812345678',
            status: 'shipped',
            isDefault: false,
            items: [{ itemId: 1, name: '喷雾运动水壶', quantity: 1 }, tea],
            // Shipped before the site moved: listed at the address it went to.
            shippedTo: { name: '若羌光伏一期', address: '若羌县 一期营地', recipient: null },
          },
          {
            packId: 5,
            memberId: 9,
            memberNo: 'M0009',
            memberName: '高远',
            unionName: '四方继保工会',
            recipient: '高远',
            phone: '13812345679',
            status: 'submitted',
            isDefault: false,
            items: [tea],
            shippedTo: null,
          },
        ],
      },
      {
        kind: 'pickup',
        siteId: null,
        name: '到工会自取',
        address: null,
        recipient: null,
        unionName: null,
        totals: [tea],
        packs: [
          {
            packId: 4,
            memberId: 13,
            memberNo: 'M0008',
            memberName: '陆丽',
            unionName: '四方继保工会',
            recipient: '陆丽',
            phone: null,
            status: 'submitted',
            isDefault: true,
            items: [tea],
            shippedTo: null,
          },
        ],
      },
    ],
  }

  test('a header, a row per pack with a column per item, subtotals and a total', async () => {
    // A destination's packs may come in several pages; its subtotal follows the last one.
    const pages = list.groups.flatMap((g) =>
      g.packs.map((p) => ({
        destination: {
          key: g.siteId ?? ('pickup' as const),
          name: g.name,
          address: g.address,
          recipient: g.recipient,
        },
        packs: [p],
      })),
    )
    let csv = ''
    for await (const chunk of packingCsv(list.items, pages)) csv += chunk
    assert.ok(csv.startsWith(UTF8_BOM))
    const lines = csv.slice(1).split('\r\n')
    assert.deepEqual(lines, [
      '收货地点,地址,现场收货人,会员号,会员姓名,所在工会,收件人,联系电话,状态,默认礼包,喷雾运动水壶,凉茶,件数',
      '若羌光伏一期,若羌县 一期营地,,M0003,梁佳琪,四方继保工会,"王""工""",13812345678,已发货,否,1,2,3',
      '若羌光伏项目部,"新疆若羌县, 光伏产业园",王站长,M0009,高远,四方继保工会,高远,13812345679,待发货,否,,2,2',
      '若羌光伏项目部,"新疆若羌县, 光伏产业园",王站长,,小计（2 份）,,,,,,1,4,5',
      '到工会自取,,,M0008,陆丽,四方继保工会,陆丽,,待发货,是,,2,2',
      '到工会自取,,,,小计（1 份）,,,,,,,2,2',
      '合计,,,,共 3 份,,,,,,1,6,7',
      '',
    ])
  })
})
