// The roster import: a file's rows (CSV or xlsx, read as a stream) validated, then members created
// or updated in batches, each one transaction, by a durable job that resumes after a restart.
import { isUtf8 } from 'node:buffer'
import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import type { Role } from '../../../src/contract/auth'
import { memberNo as memberNoSchema, rosterPhone } from '../../../src/contract/auth'
import { createMemberBody } from '../../../src/contract/org'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { JobFailure, type ClaimedJob, type JobContext, type JobHandler } from '../../lib/job-queue'
import { revokeMemberSessions } from '../../lib/sessions'
import { hasUnstorableText } from '../../plugins/input-guard'
import { findMemberById } from './members'
import { staffScope } from './union-tree'

export const MEMBER_IMPORT_JOB = 'member-import'
/** Rows per transaction. */
export const IMPORT_BATCH = 1000

export type ImportFormat = 'csv' | 'xlsx'

/** One non-empty row of the file: its line (row) number and its cells as text. */
export interface FileRow {
  line: number
  fields: string[]
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/** The file as UTF-8: as it is, or from GB18030 (what Excel on a Chinese Windows saves as CSV). */
function utf8(file: Buffer): Buffer {
  if (isUtf8(file)) return file
  return Buffer.from(new TextDecoder('gb18030').decode(file), 'utf8')
}

function chunks(buf: Buffer, size = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
    })(),
  )
}

async function* csvRows(file: Buffer): AsyncGenerator<FileRow> {
  const parser = chunks(utf8(file)).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  )
  for await (const { info, record } of parser as AsyncIterable<{
    info: { lines: number }
    record: string[]
  }>) {
    yield { line: info.lines, fields: record }
  }
}

type Cell = ExcelJS.CellValue | undefined

function cellText(v: Cell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if ('richText' in v) return v.richText.map((t) => t.text).join('')
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: Cell }).result)
  if ('text' in v) return typeof v.text === 'string' ? v.text : cellText(v.text as Cell)
  return ''
}

async function* xlsxRows(file: Buffer): AsyncGenerator<FileRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
  })
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as Cell[]
      const fields: string[] = []
      for (let i = 1; i < values.length; i++) fields.push(cellText(values[i]))
      yield { line: row.number, fields }
    }
    return // the first worksheet only
  }
}

/** The file's non-empty rows, the header first. */
export async function* fileRows(file: Buffer, format: ImportFormat): AsyncGenerator<FileRow> {
  const source = format === 'csv' ? csvRows(file) : xlsxRows(file)
  for await (const row of source) {
    const fields = row.fields.map((f) => f.trim())
    while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop()
    if (fields.length > 0) yield { line: row.line, fields }
  }
}

/** Whether the bytes look like the format they claim (an xlsx file is a zip). */
export function looksLike(file: Buffer, format: ImportFormat): boolean {
  if (format === 'xlsx') return file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
  return !file.subarray(0, 4096).includes(0)
}

// ---------------------------------------------------------------------------------------------
// Columns and rows

type Column = 'memberNo' | 'name' | 'phone' | 'union' | 'roles'

const HEADERS: Record<Column, string[]> = {
  memberNo: ['会员号', '会员编号', 'memberno', 'member_no'],
  name: ['姓名', 'name'],
  phone: ['手机号', '手机', '手机号码', 'phone', 'mobile'],
  union: ['工会', '所属工会', 'union', 'unionid', 'union_id'],
  roles: ['角色', 'roles', 'role'],
}
const REQUIRED: Column[] = ['memberNo', 'name', 'phone', 'union']
const COLUMN_NAMES: Record<Column, string> = {
  memberNo: '会员号',
  name: '姓名',
  phone: '手机号',
  union: '工会',
  roles: '角色',
}

export type ColumnMap = Partial<Record<Column, number>>

/** Which column holds what, by the header's names (Chinese or English); throws `JobFailure`. */
export function mapHeader(header: string[]): ColumnMap {
  const map: ColumnMap = {}
  header.forEach((raw, i) => {
    const h = raw
      .replace(/^\uFEFF/, '')
      .replace(/\s+/g, '')
      .toLowerCase()
    for (const col of Object.keys(HEADERS) as Column[]) {
      if (HEADERS[col].includes(h) && map[col] === undefined) map[col] = i
    }
  })
  const missing = REQUIRED.filter((c) => map[c] === undefined)
  if (missing.length > 0) {
    throw new JobFailure(
      `第一行应为列名，缺少列：${missing.map((c) => COLUMN_NAMES[c]).join('、')}` +
        '（会员号/memberNo、姓名/name、手机号/phone、工会/union，可选 角色/roles）',
    )
  }
  return map
}

/** The header of a file, checked (for the upload's answer); throws `JobFailure`. */
export async function readHeader(file: Buffer, format: ImportFormat): Promise<string[]> {
  const it = fileRows(file, format)
  try {
    const first = await it.next()
    if (first.done) throw new JobFailure('文件是空的')
    mapHeader(first.value.fields)
    return first.value.fields
  } catch (err) {
    if (err instanceof JobFailure) throw err
    throw new JobFailure(format === 'xlsx' ? '无法读取这个 xlsx 文件' : '无法读取这个 CSV 文件')
  } finally {
    await it.return(undefined)
  }
}

const ROLE_NAMES: Record<string, Role> = {
  member: 'member',
  会员: 'member',
  staff: 'staff',
  工会干部: 'staff',
  干部: 'staff',
  lawyer: 'lawyer',
  律师: 'lawyer',
  admin: 'admin',
  管理员: 'admin',
}
const ROLE_ORDER: Role[] = ['member', 'staff', 'lawyer', 'admin']

/** `member;staff`, `会员、工会干部`…: the roles in a fixed order, or the unknown word. */
function parseRoles(text: string): Role[] | { unknown: string } {
  const found = new Set<Role>()
  for (const word of text.split(/[;；,，、|/\s]+/).filter(Boolean)) {
    const r = ROLE_NAMES[word.toLowerCase()]
    if (!r) return { unknown: word }
    found.add(r)
  }
  return ROLE_ORDER.filter((r) => found.has(r))
}

const nameSchema = createMemberBody.shape.name

interface Candidate {
  line: number
  fields: string[]
  memberNo: string
  name: string
  phone: string | null
  unionId: number
  /** The roles the file gives (null: keep an existing member's, `member` for a new one). */
  roles: Role[] | null
}

interface Reject {
  line: number
  reason: string
  fields: string[]
}

/** What an import needs to judge rows: the union tree by id and by path, and the scope. */
export interface ImportContext {
  columns: ColumnMap
  unionById: Map<number, string>
  unionByPath: Map<string, number>
  /** The unions the importer may write to; null: all (an admin). */
  scope: Set<number> | null
  admin: boolean
  /** Member numbers seen so far in the file, with their first line. */
  seen: Map<string, number>
}

export async function importContext(
  tx: Tx,
  createdBy: number,
  header: string[],
): Promise<ImportContext> {
  const caller = await findMemberById(tx, createdBy)
  if (!caller) throw new JobFailure('导入人已不存在')
  const admin = caller.roles.includes('admin')
  const scope = admin ? null : new Set(await staffScope(tx, caller))
  if (scope && scope.size === 0) throw new JobFailure('导入人已不是工会干部')
  const list = await rows<{ id: number; name: string; parent_id: number | null }>(
    tx,
    sql`SELECT id, name, parent_id FROM unions`,
  )
  const byId = new Map(list.map((u) => [u.id, u]))
  const unionById = new Map<number, string>()
  const unionByPath = new Map<string, number>()
  for (const u of list) {
    const names: string[] = []
    let at: typeof u | undefined = u
    for (let depth = 0; at && depth < 64; depth++) {
      names.unshift(at.name)
      at = at.parent_id === null ? undefined : byId.get(at.parent_id)
    }
    const path = names.join('/')
    unionById.set(u.id, path)
    unionByPath.set(path, u.id)
  }
  return { columns: mapHeader(header), unionById, unionByPath, scope, admin, seen: new Map() }
}

const normalisePath = (s: string) =>
  s
    .split(/[/／]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .join('/')

/** A row checked on its own (and against the rows before it): a candidate or a reject. */
export function judgeRow(ic: ImportContext, row: FileRow): Candidate | Reject {
  const cell = (c: Column) => {
    const i = ic.columns[c]
    return i === undefined ? '' : (row.fields[i] ?? '').trim()
  }
  const reasons: string[] = []
  if (row.fields.some(hasUnstorableText)) reasons.push('含有无法保存的字符')
  const no = memberNoSchema.safeParse(cell('memberNo'))
  if (!no.success) reasons.push(cell('memberNo') ? no.error.issues[0]!.message : '缺少会员号')
  const name = nameSchema.safeParse(cell('name'))
  if (!name.success) reasons.push(name.error.issues[0]!.message)
  let phone: string | null = null
  if (cell('phone') !== '') {
    const p = rosterPhone.safeParse(cell('phone'))
    if (p.success) phone = p.data
    else reasons.push(p.error.issues[0]!.message)
  }
  const unionText = cell('union')
  let unionId: number | undefined
  if (unionText === '') reasons.push('缺少工会')
  else {
    unionId = /^\d{1,9}$/.test(unionText)
      ? ic.unionById.has(Number(unionText))
        ? Number(unionText)
        : undefined
      : ic.unionByPath.get(normalisePath(unionText))
    if (unionId === undefined) {
      reasons.push(
        `工会不存在：${unionText}（请填工会编号或完整路径，如 北京市总工会/中关村科学城工会）`,
      )
    } else if (ic.scope && !ic.scope.has(unionId)) {
      reasons.push(`工会「${ic.unionById.get(unionId)}」不在你管理的范围内`)
    }
  }
  let roles: Role[] | null = null
  if (cell('roles') !== '') {
    const r = parseRoles(cell('roles'))
    if (!Array.isArray(r))
      reasons.push(`角色不认识：${r.unknown}（可填 会员、工会干部、律师、管理员）`)
    else if (r.length > 0) {
      if (!ic.admin && r.some((x) => x !== 'member')) {
        reasons.push('只有管理员可以导入会员以外的角色（工会干部、律师、管理员）')
      } else if (ic.admin) roles = r
    }
  }
  if (no.success) {
    const firstLine = ic.seen.get(no.data)
    if (firstLine !== undefined)
      reasons.push(`会员号 ${no.data} 在文件中重复（见第 ${firstLine} 行）`)
    else ic.seen.set(no.data, row.line)
  }
  if (reasons.length > 0 || !no.success || !name.success || unionId === undefined) {
    return { line: row.line, reason: reasons.join('；'), fields: row.fields }
  }
  return {
    line: row.line,
    fields: row.fields,
    memberNo: no.data,
    name: name.data,
    phone,
    unionId,
    roles,
  }
}

// ---------------------------------------------------------------------------------------------
// Writing one batch

export interface BatchCounts {
  done: number
  created: number
  updated: number
  rejected: number
}

interface Existing {
  id: number
  member_no: string
  name: string
  union_id: number
  phone: string | null
  roles: Role[]
  staff_union_id: number | null
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((r, i) => r === b[i])

/**
 * Writes one batch of judged rows in `tx`: members created or updated (only where something
 * changed), point accounts for the new ones, the rejects, the import's counts.
 */
export async function writeBatch(
  tx: Tx,
  importId: number,
  actorId: number,
  ic: ImportContext,
  judged: (Candidate | Reject)[],
): Promise<BatchCounts> {
  const rejects: Reject[] = []
  const candidates: Candidate[] = []
  for (const j of judged) ('memberNo' in j ? candidates : rejects).push(j as never)

  const existing = new Map<string, Existing>()
  if (candidates.length > 0) {
    const found = await rows<Existing>(
      tx,
      sql`SELECT id, member_no, name, union_id, phone, roles, staff_union_id FROM members
          WHERE member_no IN (SELECT jsonb_array_elements_text(${JSON.stringify(
            candidates.map((c) => c.memberNo),
          )}::jsonb))
          ORDER BY member_no FOR UPDATE`,
    )
    for (const e of found) existing.set(e.member_no, e)
  }

  interface Write {
    member_no: string
    name: string
    union_id: number
    phone: string | null
    roles: Role[]
    staff_union_id: number | null
  }
  const writes: Write[] = []
  const revoke: number[] = []
  let created = 0
  let updated = 0
  for (const c of candidates) {
    const ex = existing.get(c.memberNo)
    if (ex && ic.scope && !ic.scope.has(ex.union_id)) {
      rejects.push({
        line: c.line,
        reason: `会员号 ${c.memberNo} 已登记在你管理范围以外的工会，未导入`,
        fields: c.fields,
      })
      continue
    }
    let roles: Role[]
    let staffUnionId: number | null
    if (c.roles === null) {
      roles = ex ? ex.roles : ['member']
      staffUnionId = ex ? ex.staff_union_id : null
    } else {
      roles = c.roles
      staffUnionId = roles.includes('staff') ? (ex?.staff_union_id ?? c.unionId) : null
    }
    const w: Write = {
      member_no: c.memberNo,
      name: c.name,
      union_id: c.unionId,
      phone: c.phone,
      roles,
      staff_union_id: staffUnionId,
    }
    if (!ex) {
      created++
      writes.push(w)
      continue
    }
    const same =
      ex.name === w.name &&
      ex.union_id === w.union_id &&
      ex.phone === w.phone &&
      sameRoles(ex.roles, w.roles) &&
      ex.staff_union_id === w.staff_union_id
    if (same) continue
    updated++
    writes.push(w)
    const lostRole = ex.roles.some((r) => !roles.includes(r))
    const movedScope = ex.staff_union_id !== null && ex.staff_union_id !== staffUnionId
    if (lostRole || movedScope) revoke.push(ex.id)
  }

  if (writes.length > 0) {
    const written = await rows<{ id: number; member_no: string }>(
      tx,
      sql`INSERT INTO members (member_no, name, union_id, phone, roles, staff_union_id)
          SELECT member_no, name, union_id, phone, roles, staff_union_id
          FROM jsonb_to_recordset(${JSON.stringify(writes)}::jsonb)
            AS w(member_no text, name text, union_id int, phone text, roles text[], staff_union_id int)
          ON CONFLICT (member_no) DO UPDATE SET
            name = EXCLUDED.name, union_id = EXCLUDED.union_id, phone = EXCLUDED.phone,
            roles = EXCLUDED.roles, staff_union_id = EXCLUDED.staff_union_id
          WHERE (members.name, members.union_id, members.phone, members.roles, members.staff_union_id)
                IS DISTINCT FROM
                (EXCLUDED.name, EXCLUDED.union_id, EXCLUDED.phone, EXCLUDED.roles, EXCLUDED.staff_union_id)
          RETURNING id, member_no`,
    )
    const newIds = written.filter((w) => !existing.has(w.member_no)).map((w) => w.id)
    if (newIds.length > 0) {
      await tx.execute(
        sql`INSERT INTO point_accounts (member_id, balance)
            SELECT unnest(${sql.param(newIds)}::int[]), 0 ON CONFLICT (member_id) DO NOTHING`,
      )
    }
    for (const id of revoke) await revokeMemberSessions(tx, id)
  }

  if (rejects.length > 0) {
    await tx.execute(
      sql`INSERT INTO member_import_rejects (import_id, line, reason, fields)
          SELECT ${importId}, line, reason, fields
          FROM jsonb_to_recordset(${JSON.stringify(rejects)}::jsonb)
            AS r(line int, reason text, fields jsonb)
          ON CONFLICT (import_id, line) DO NOTHING`,
    )
  }
  const counts = { done: judged.length, created, updated, rejected: rejects.length }
  await tx.execute(
    sql`UPDATE member_imports SET done = done + ${counts.done}, created = created + ${created},
               updated = updated + ${updated}, rejected = rejected + ${counts.rejected}
        WHERE id = ${importId}`,
  )
  await tx.execute(sql`UPDATE jobs SET done = done + ${counts.done}
                       WHERE id = (SELECT job_id FROM member_imports WHERE id = ${importId})`)
  if (created + updated > 0) {
    await audit(tx, {
      actorId,
      action: 'member.import',
      entity: 'member_import',
      entityId: importId,
      after: { lines: [judged[0]!.line, judged[judged.length - 1]!.line], created, updated },
    })
  }
  return counts
}

// ---------------------------------------------------------------------------------------------
// The job

interface ImportRow {
  id: number
  created_by: number
  format: ImportFormat
  file: Uint8Array | null
  total: number
  done: number
  status: string
}

async function countRows(file: Buffer, format: ImportFormat): Promise<number> {
  let n = -1 // the header
  for await (const row of fileRows(file, format)) {
    void row
    n++
  }
  return Math.max(n, 0)
}

/**
 * Runs (or resumes) one import: the rows already committed (`done`) are read again only to
 * remember their member numbers, then the rest goes in batches of `IMPORT_BATCH`, each committing
 * its members, rejects and counts together.
 */
export const memberImportJob: JobHandler = {
  async run(ctx: JobContext) {
    const db = ctx.app.db.db
    const imp = await first<ImportRow>(
      db,
      sql`SELECT id, created_by, format, file, total, done, status
          FROM member_imports WHERE job_id = ${ctx.job.id}`,
    )
    if (!imp) throw new JobFailure('导入记录不存在')
    if (!imp.file) throw new JobFailure('导入的文件已不在')
    const file = Buffer.from(imp.file.buffer, imp.file.byteOffset, imp.file.byteLength)
    if (imp.done === 0) {
      const total = await countRows(file, imp.format)
      await ctx.batch(async (tx) => {
        await tx.execute(sql`UPDATE member_imports SET total = ${total} WHERE id = ${imp.id}`)
        await tx.execute(sql`UPDATE jobs SET total = ${total} WHERE id = ${ctx.job.id}`)
      })
    }
    let ic: ImportContext | undefined
    let skip = imp.done
    let batch: (Candidate | Reject)[] = []
    const flush = async (last: boolean) => {
      const judged = batch
      batch = []
      await ctx.batch(async (tx) => {
        if (judged.length > 0) await writeBatch(tx, imp.id, imp.created_by, ic!, judged)
        if (last) {
          await tx.execute(
            sql`UPDATE member_imports SET status = 'done', file = NULL WHERE id = ${imp.id}`,
          )
          await ctx.complete(tx)
        }
      })
    }
    for await (const row of fileRows(file, imp.format)) {
      if (!ic) {
        ic = await importContext(db, imp.created_by, row.fields)
        continue
      }
      const judged = judgeRow(ic, row)
      if (skip > 0) {
        skip--
        continue
      }
      batch.push(judged)
      if (batch.length >= IMPORT_BATCH) {
        await flush(false)
        if (ctx.stopping()) return 'paused'
      }
    }
    if (!ic) throw new JobFailure('文件是空的')
    await flush(true)
    return 'done'
  },
  async failed(tx: Tx, job: ClaimedJob, message: string) {
    await tx.execute(
      sql`UPDATE member_imports SET status = 'failed', error = ${message}, file = NULL
          WHERE job_id = ${job.id}`,
    )
  },
}
