// Roster import routes: the upload (the body is the file), the import's progress, its rejects.
import { sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  MEMBER_IMPORT_CSV,
  MEMBER_IMPORT_MAX_BYTES,
  MEMBER_IMPORT_XLSX,
  type MemberImport,
  type MemberImportRejectsQuery,
} from '../../../src/contract/org'
import { orgRoutes as routes } from '../../../src/contract/routes/org'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { JobFailure } from '../../lib/job-queue'
import type { Caller } from '../../lib/route'
import { XLSX_TYPE, xlsxStream } from '../../lib/xlsx'
import { attachmentDisposition, toCsv } from '../cooling/csv'
import { looksLike, MEMBER_IMPORT_JOB, readHeader, type ImportFormat } from './member-import'
import { mayActOnUnion } from './union-tree'

interface ImportRow {
  id: number
  union_id: number | null
  created_by: number
  status: MemberImport['status']
  total: number
  done: number
  created: number
  updated: number
  rejected: number
  error: string | null
  header: string[] | null
}

const view = (r: ImportRow): { import: MemberImport } => ({
  import: {
    id: r.id,
    status: r.status,
    total: r.total,
    done: r.done,
    created: r.created,
    updated: r.updated,
    rejected: r.rejected,
    error: r.error,
  },
})

/**
 * The import if the caller may see it: its importer, an admin, or staff whose subtree holds the
 * importer's staff union (404 otherwise: no probing other unions' imports).
 */
async function importFor(tx: Tx, caller: Caller, id: number): Promise<ImportRow> {
  const row = await first<ImportRow>(
    tx,
    sql`SELECT id, union_id, created_by, status, total, done, created, updated, rejected, error,
               header
        FROM member_imports WHERE id = ${id}`,
  )
  const visible =
    row &&
    (row.created_by === caller.id ||
      caller.roles.includes('admin') ||
      (row.union_id !== null && (await mayActOnUnion(tx, caller, row.union_id))))
  if (!row || !visible) throw new AppError('NOT_FOUND', '导入记录不存在')
  return row
}

const FORMATS: Record<string, ImportFormat> = {
  [MEMBER_IMPORT_CSV]: 'csv',
  [MEMBER_IMPORT_XLSX]: 'xlsx',
}

export async function memberImportRoutes(app: FastifyInstance) {
  // The upload's body is the file itself (encapsulated: only the routes of this plugin take it).
  app.addContentTypeParser(
    [MEMBER_IMPORT_CSV, MEMBER_IMPORT_XLSX],
    { parseAs: 'buffer', bodyLimit: MEMBER_IMPORT_MAX_BYTES },
    (_req, body, done) => done(null, body),
  )

  const staffOrAdmin = async (req: FastifyRequest) => {
    const caller = await app.authenticate(req)
    if (!caller.roles.some((r) => r === 'staff' || r === 'admin')) throw new AppError('FORBIDDEN')
    req.caller = caller
  }
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.route({
    method: 'POST',
    url: `/api/v1${routes.createMemberImport.path}`,
    bodyLimit: MEMBER_IMPORT_MAX_BYTES,
    schema: { response: { 202: routes.createMemberImport.response } },
    onRequest: staffOrAdmin,
    handler: async (req, reply) => {
      const caller = req.caller as Caller
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      const format = FORMATS[type]
      const file = req.body
      if (!format || !Buffer.isBuffer(file)) {
        throw new AppError(
          'BAD_REQUEST',
          `请上传 CSV 或 xlsx 文件（Content-Type: ${MEMBER_IMPORT_CSV} 或 ${MEMBER_IMPORT_XLSX}）`,
        )
      }
      if (file.length === 0) throw new AppError('BAD_REQUEST', '文件是空的')
      if (!looksLike(file, format)) {
        throw new AppError(
          'BAD_REQUEST',
          format === 'xlsx' ? '这不是 xlsx 文件' : '这不是 CSV 文件',
        )
      }
      let header: string[]
      try {
        header = await readHeader(file, format)
      } catch (err) {
        if (err instanceof JobFailure) throw new AppError('BAD_REQUEST', err.message)
        throw err
      }
      const admin = caller.roles.includes('admin')
      const row = await app.db.db.transaction(async (tx) => {
        const jobId = await app.jobQueue.enqueue(tx, MEMBER_IMPORT_JOB, {}, caller.id)
        const created = await first<ImportRow>(
          tx,
          sql`INSERT INTO member_imports (job_id, union_id, created_by, format, file, header)
              VALUES (${jobId}, ${admin ? null : caller.staffUnionId}, ${caller.id}, ${format},
                      ${file}, ${JSON.stringify(header)}::jsonb)
              RETURNING id, union_id, created_by, status, total, done, created, updated,
                        rejected, error, header`,
        )
        await tx.execute(
          sql`UPDATE jobs SET payload = ${JSON.stringify({ importId: created!.id })}::jsonb
              WHERE id = ${jobId}`,
        )
        return created!
      })
      // After the answer is out: the job's first pass reads the whole file.
      setImmediate(() => void app.jobQueue.kick())
      reply.code(202)
      return view(row)
    },
  })

  r.route({
    method: 'GET',
    url: `/api/v1${routes.memberImport.path}`,
    schema: {
      params: routes.memberImport.params,
      response: { 200: routes.memberImport.response },
    },
    onRequest: staffOrAdmin,
    handler: async (req) =>
      view(await importFor(app.db.db, req.caller as Caller, (req.params as { id: number }).id)),
  })

  r.route({
    method: 'GET',
    url: `/api/v1${routes.memberImportRejects.path}`,
    schema: {
      params: routes.memberImportRejects.params,
      querystring: routes.memberImportRejects.query,
    },
    onRequest: staffOrAdmin,
    handler: async (req, reply: FastifyReply) => {
      const imp = await importFor(
        app.db.db,
        req.caller as Caller,
        (req.params as { id: number }).id,
      )
      const list = await rows<{ line: number; reason: string; fields: string[] }>(
        app.db.db,
        sql`SELECT line, reason, fields FROM member_import_rejects
            WHERE import_id = ${imp.id} ORDER BY line`,
      )
      const header = ['行号', '原因', ...(imp.header ?? [])]
      const body = list.map((x) => [x.line, x.reason, ...x.fields])
      const xlsx = (req.query as MemberImportRejectsQuery).format === 'xlsx'
      const ext = xlsx ? 'xlsx' : 'csv'
      reply
        .header('content-type', xlsx ? XLSX_TYPE : 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          attachmentDisposition(
            `member-import-${imp.id}-rejected.${ext}`,
            `导入会员-${imp.id}-未导入.${ext}`,
          ),
        )
        .header('cache-control', 'no-store')
      if (xlsx) {
        const sheet = [{ cells: header, bold: true }, ...body.map((cells) => ({ cells }))]
        return reply.send(xlsxStream({ name: '未导入', widths: { 原因: 40 } }, [sheet]))
      }
      return toCsv([header, ...body])
    },
  })
}
