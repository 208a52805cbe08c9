import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { z } from 'zod'
import { routes } from '../../src/contract/routes'
import type { RouteDef } from '../../src/contract/route-def'
import { startFakeWechat } from '../support/fake-wechat'
import { engines, startTestServer, type TestServer } from '../support/server'

/*
 * Hostile input over every route of the contract's route table: path parameters, query strings
 * and bodies (derived from each route's zod schemas, so a new route is covered without a line
 * here), as an admin, staff, a lawyer and a plain member. No answer may be ≥ 500, and every
 * 4xx carries the contract's `{error:{code,message}}`.
 */

type Method = RouteDef['method']
type Json = unknown
type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  prefixItems?: JsonSchema[]
  minItems?: number
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  enum?: Json[]
  const?: Json
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  default?: Json
}

/** The largest id the database stores: valid for every schema, but nothing has it. */
const BIG_ID = 2147483647

/** Examples tried against a string schema's `pattern`, in order. */
const patternExamples = [
  '13800000001',
  '2026-07-01',
  '09:00',
  '/img/fuzz.png',
  'M0001',
  'ABCDEFGH',
  'ABCD2345',
  '123',
  'abcdefghijklmnopqrstuvwxyz012345',
  'pickup',
  'json',
]

function nonNull(s: JsonSchema): JsonSchema {
  const options = s.anyOf ?? s.oneOf
  if (!options) return s
  return options.find((o) => o.type !== 'null') ?? options[0]
}

/**
 * Times in the order routes want them: sign-up opens < closes ≤ starts (opens) < ends (closes).
 */
function timeRank(key: string): number {
  return (/signup/i.test(key) ? 0 : 2) + (/close|end|to$/i.test(key) ? 1 : 0)
}

/** A plausible (usually valid) value for a JSON schema; every id is `idValue`. */
function sample(s: JsonSchema, idValue: number, key = ''): Json {
  if (s.const !== undefined) return s.const
  if (s.enum) return s.enum[0]
  if (s.allOf?.length) return sample(s.allOf[0], idValue, key)
  if (s.anyOf || s.oneOf) return sample(nonNull(s), idValue, key)
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {}
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sample(v, idValue, k)
      return out
    }
    case 'array': {
      const n = Math.max(1, s.minItems ?? 1)
      if (s.prefixItems) return s.prefixItems.map((p) => sample(p, idValue))
      return Array.from({ length: n }, () => sample(s.items ?? {}, idValue, key))
    }
    case 'integer':
    case 'number': {
      if (/id$|Id$/.test(key) || /Ids$/.test(key)) return idValue
      if (/year/i.test(key)) return 1990
      if (s.minimum !== undefined) return Math.max(s.minimum, Math.min(1, s.maximum ?? 1))
      return 1
    }
    case 'boolean':
      return true
    case 'string': {
      if (s.format === 'date-time') return `2030-07-0${timeRank(key) + 1}T08:00:00+08:00`
      if (s.format === 'date') return '2030-07-01'
      if (s.pattern && /end/i.test(key) && new RegExp(s.pattern).test('17:00')) return '17:00'
      if (s.pattern) {
        const re = new RegExp(s.pattern)
        const hit = patternExamples.find((e) => re.test(e))
        if (hit) return hit
      }
      const text = '模糊测试内容说明一二三四五'
      const min = s.minLength ?? 1
      const max = s.maxLength ?? 100
      return text
        .repeat(Math.ceil(min / text.length) + 1)
        .slice(0, Math.max(min, Math.min(max, 13)))
    }
    default:
      return 'x'
  }
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
}

/** Every place inside a sample value: paths to objects' keys and arrays' first elements. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = []
  if (Array.isArray(v)) {
    if (v.length > 0) {
      out.push([...at, 0])
      out.push(...paths(v[0], [...at, 0]))
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, inner] of Object.entries(v)) {
      out.push([...at, k])
      out.push(...paths(inner, [...at, k]))
    }
  }
  return out
}

const MISSING = Symbol('missing')

function replaced(v: Json, path: (string | number)[], value: Json | typeof MISSING): Json {
  const copy = structuredClone(v) as Record<string | number, Json>
  let cur = copy
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>
  const last = path[path.length - 1]
  if (value === MISSING) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1)
    else delete cur[last]
  } else {
    cur[last] = value
  }
  return copy
}

/** What may replace any one field of a body: junk of every kind, then what fits its type. */
const anyFieldVariants: (Json | typeof MISSING)[] = [
  MISSING,
  null,
  true,
  {},
  [null],
  { nested: { deeper: ['\u0000', { junk: 2147483648 }] } },
]
const numberVariants: Json[] = [
  2147483648,
  1e20,
  -2147483649,
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '2147483648',
  'a\u0000b',
]
const stringVariants: Json[] = [
  '',
  'a\u0000b',
  'a\ud800b',
  '\udc00',
  'x'.repeat(300),
  '长'.repeat(5000),
  '2026-02-30',
  '2026-02-30T10:00:00+08:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  2147483648,
]
const containerVariants: Json[] = [[], 'a\ud800', 2147483648]

function variantsFor(v: Json): (Json | typeof MISSING)[] {
  if (typeof v === 'number') return [...anyFieldVariants, ...numberVariants]
  if (typeof v === 'string') return [...anyFieldVariants, ...stringVariants]
  if (Array.isArray(v)) {
    return [...anyFieldVariants, ...containerVariants, Array.from({ length: 2000 }, () => v[0])]
  }
  return [...anyFieldVariants, ...containerVariants, ...numberVariants.slice(0, 1)]
}

/** Whole bodies that are not what any route expects. */
const bodyVariants: Json[] = [
  null,
  [],
  [{}],
  'text',
  12,
  true,
  {},
  { junk: 1 },
  { '\u0000': 1 },
  { 'a\ud800': 'b' },
  JSON.parse('{"__proto__": {"admin": true}}') as Json,
  { constructor: { prototype: { admin: true } } },
  Array.from({ length: 2000 }, () => ({ id: 2147483648 })),
]

/** What may stand in any path parameter (already URL-encoded). */
const paramVariants = [
  '2147483648',
  '2147483647',
  '99999999999999999999',
  '-1',
  '0',
  '1.5',
  '1e3',
  'abc',
  'NaN',
  'Infinity',
  '%00',
  'a%00',
  '%ED%A0%80',
  encodeURIComponent('\ud83d\ude00'),
  'x'.repeat(300),
  '1'.repeat(300),
  `${'0'.repeat(299)}1`,
  '%20',
  '..',
  encodeURIComponent('长'.repeat(50)),
]

/** What may stand in any query value. */
const queryVariants = [
  '2147483648',
  '99999999999999999999',
  '-1',
  '0',
  'abc',
  '',
  '%00',
  '%ED%A0%80',
  '%ED%A0%80%ED%A0%80',
  'x'.repeat(300),
  '2026-02-30',
  '0000-01-01',
  '2026-02-30T10:00:00Z',
  '1e400',
]

interface Case {
  name: string
  /** The route's name in the table. */
  route: string
  method: Method
  url: string
  body?: string
  contentType?: string
  idempotency?: string
}

/**
 * The id plausible requests use: 1 (the seed has one of nearly everything, so the request reaches
 * the database), but none on member and session routes, where it would change who may call what.
 */
function plausibleId(def: RouteDef): number {
  return /^\/(admin|staff\/members|me|auth)\b/.test(def.path) ? BIG_ID : 1
}

function pathWith(def: RouteDef, overrides: Record<string, string> = {}): string {
  const fill = String(plausibleId(def))
  return `/api/v1${def.path}`.replace(/:(\w+)/g, (_, p: string) => overrides[p] ?? fill)
}

function jsonCase(name: string, def: RouteDef, url: string, body: Json | typeof MISSING): Case {
  return {
    name,
    route: name.split(' ')[0],
    method: def.method,
    url,
    body: body === MISSING ? undefined : JSON.stringify(body),
    contentType: body === MISSING ? undefined : 'application/json',
  }
}

function casesFor(name: string, def: RouteDef): Case[] {
  const cases: Case[] = []
  const params = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1])
  const bodySample: Json | typeof MISSING = def.body
    ? sample(jsonSchemaOf(def.body), plausibleId(def))
    : MISSING
  const url = pathWith(def)

  // Path parameters: each hostile value in each parameter, with an otherwise plausible request.
  for (const p of params) {
    for (const v of paramVariants) {
      cases.push(
        jsonCase(`${name} :${p}=${v.slice(0, 20)}`, def, pathWith(def, { [p]: v }), bodySample),
      )
    }
  }

  // Query strings: each declared key with each hostile value; unknown and repeated keys.
  const queryKeys = def.query
    ? Object.keys(sample(jsonSchemaOf(def.query), plausibleId(def)) as object)
    : []
  const queryBase = def.query
    ? Object.entries(sample(jsonSchemaOf(def.query), plausibleId(def)) as Record<string, Json>)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&')
    : ''
  for (const k of queryKeys) {
    for (const v of queryVariants) {
      cases.push(jsonCase(`${name} ?${k}=${v.slice(0, 20)}`, def, `${url}?${k}=${v}`, bodySample))
    }
    cases.push(jsonCase(`${name} ?${k} twice`, def, `${url}?${k}=1&${k}=2`, bodySample))
    cases.push(jsonCase(`${name} ?${k}[]`, def, `${url}?${k}[a]=1`, bodySample))
  }
  if (queryBase) cases.push(jsonCase(`${name} ?valid`, def, `${url}?${queryBase}`, bodySample))
  for (const q of [
    'junk=%00',
    'junk=1',
    'id=99999999999999999999',
    '%ED%A0%80=1',
    'a='.repeat(500),
  ]) {
    cases.push(jsonCase(`${name} ?${q.slice(0, 20)}`, def, `${url}?${q}`, bodySample))
  }

  if (def.method === 'GET') return cases

  // Bodies: the plausible sample, each field replaced by each hostile value, whole-body junk.
  if (bodySample !== MISSING) {
    cases.push(jsonCase(`${name} body sample`, def, url, bodySample))
    for (const p of paths(bodySample)) {
      const current = p.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], bodySample)
      for (const v of variantsFor(current)) {
        const label = v === MISSING ? 'missing' : JSON.stringify(v)?.slice(0, 20)
        cases.push(
          jsonCase(`${name} body.${p.join('.')}=${label}`, def, url, replaced(bodySample, p, v)),
        )
      }
    }
    if (bodySample !== null && typeof bodySample === 'object' && !Array.isArray(bodySample)) {
      cases.push(jsonCase(`${name} body+junk`, def, url, { ...bodySample, junk: '\u0000' }))
      cases.push(jsonCase(`${name} body in array`, def, url, [bodySample]))
    }
  }
  for (const b of bodyVariants) {
    cases.push(jsonCase(`${name} body ${JSON.stringify(b)?.slice(0, 20)}`, def, url, b))
  }
  const raw: [string, string, string][] = [
    ['empty json', '', 'application/json'],
    ['broken json', '{"a":', 'application/json'],
    ['json NUL escape', '{"a":"\\u0000"}', 'application/json'],
    ['json lone surrogate', '{"a":"\\ud800"}', 'application/json'],
    ['json deep', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
    ['json huge number', '{"id":1e999}', 'application/json'],
    ['too large', JSON.stringify({ a: 'x'.repeat(300 * 1024) }), 'application/json'],
    ['text', 'hello', 'text/plain'],
    ['form', 'a=1&b=2', 'application/x-www-form-urlencoded'],
    ['xml', '<a>1</a>', 'application/xml'],
    ['json charset', '{}', 'application/json; charset=latin1'],
    ['no type', '{}', ''],
  ]
  for (const [label, body, contentType] of raw) {
    cases.push({
      name: `${name} raw ${label}`,
      route: name,
      method: def.method,
      url,
      body,
      contentType,
    })
  }
  if (def.creates) {
    const body = bodySample === MISSING ? undefined : JSON.stringify(bodySample)
    for (const key of ['x'.repeat(300), ' ', '键']) {
      cases.push({
        name: `${name} Idempotency-Key ${key.slice(0, 10)}`,
        route: name,
        method: def.method,
        url,
        body,
        contentType: body ? 'application/json' : undefined,
        idempotency: key,
      })
    }
  }
  return cases
}

const allRoutes = Object.entries(routes) as [string, RouteDef][]
const allCases = allRoutes.flatMap(([name, def]) => casesFor(name, def))

/** Who sends the cases: the admin and a plain member; staff and a lawyer where neither may. */
const senders = ['A0001', 'M0001', 'S0001', 'L0001'] as const
type Sender = (typeof senders)[number] | 'anonymous'

/** A few of a route's cases, for senders the route turns away before reading the input. */
const light = (cases: Case[]) => cases.filter((_, i) => i % 25 === 0)

interface Failure {
  who: Sender
  name: string
  status: number
  body: string
}

for (const engine of engines()) {
  describe(`fuzz on ${engine}`, () => {
    let s: TestServer
    let fake: Awaited<ReturnType<typeof startFakeWechat>>
    const tokens = new Map<string, string>()

    async function signIn(memberNo: string): Promise<string> {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        payload: { memberNo },
      })
      assert.equal(res.statusCode, 200, `dev-login ${memberNo}: ${res.body}`)
      const token = (res.json() as { token: string }).token
      tokens.set(memberNo, token)
      return token
    }

    function inject(c: Case, token: string | undefined): Promise<LightMyRequestResponse> {
      const headers: Record<string, string> = {}
      if (token) headers.authorization = `Bearer ${token}`
      if (c.contentType) headers['content-type'] = c.contentType
      if (c.idempotency !== undefined) headers['idempotency-key'] = c.idempotency
      else if (c.method !== 'GET') headers['idempotency-key'] = crypto.randomUUID()
      return s.app.inject({ method: c.method, url: c.url, payload: c.body, headers })
    }

    /** Sends a case; one that ended the sender's session (logout, unbinding) is resent signed in. */
    async function send(c: Case, who: Sender): Promise<LightMyRequestResponse> {
      if (who === 'anonymous') return inject(c, undefined)
      const res = await inject(c, tokens.get(who))
      if (res.statusCode !== 401) return res
      return inject(c, await signIn(who))
    }

    /**
     * Who gets every case of a route: anonymous for public routes; otherwise the admin and the
     * member where the route lets them in (not 403), else staff or a lawyer, whoever may.
     */
    async function plan(def: RouteDef, cases: Case[]): Promise<Map<Sender, Case[]>> {
      const out = new Map<Sender, Case[]>()
      if (def.public) {
        out.set('anonymous', cases)
        for (const who of senders) out.set(who, light(cases))
        return out
      }
      const probe = cases.find((c) => c.name.endsWith('body sample')) ?? cases[0]
      const allowed: Sender[] = []
      for (const who of senders) {
        if ((await send(probe, who)).statusCode !== 403) allowed.push(who)
      }
      const full: Sender[] = allowed.filter((w) => w === 'A0001' || w === 'M0001')
      if (full.length === 0) full.push(allowed[0] ?? 'A0001')
      for (const who of senders) out.set(who, full.includes(who) ? cases : light(cases))
      out.set('anonymous', light(cases))
      return out
    }

    before(async () => {
      fake = await startFakeWechat('fuzz-app', 'fuzz-secret')
      s = await startTestServer(engine, {
        wechat: { appId: 'fuzz-app', appSecret: 'fuzz-secret', baseUrl: fake.baseUrl },
      })
      for (const no of senders) await signIn(no)
    })
    after(async () => {
      await s?.close()
      await fake?.close()
    })

    test('no hostile request is answered with 500, every 4xx has the error shape', async () => {
      const failures: Failure[] = []
      const statuses = new Map<number, number>()
      let sent = 0
      for (const [name, def] of allRoutes) {
        const cases = allCases.filter((c) => c.route === name)
        for (const [who, mine] of await plan(def, cases)) {
          for (const c of mine) {
            const res = await send(c, who)
            sent++
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
            let ok = res.statusCode < 500
            if (ok && res.statusCode >= 400) {
              try {
                const json = res.json() as { error?: { code?: unknown; message?: unknown } }
                ok =
                  typeof json.error?.code === 'string' &&
                  /^[A-Z][A-Z0-9_]*$/.test(json.error.code) &&
                  typeof json.error.message === 'string' &&
                  /[\u4e00-\u9fa5]/.test(json.error.message)
              } catch {
                ok = false
              }
            }
            if (!ok) failures.push({ who, name: c.name, status: res.statusCode, body: res.body })
          }
        }
      }
      console.log(
        `fuzz on ${engine}: ${sent} cases over ${allRoutes.length} routes; statuses ` +
          `${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ` +
          `${failures.length} failures`,
      )
      const shown = failures
        .sort((a, b) => b.status - a.status)
        .slice(0, 40)
        .map((f) => `${f.who} ${f.name} → ${f.status} ${f.body.slice(0, 200)}`)
      assert.equal(failures.length, 0, `\n${shown.join('\n')}`)
    })
  })
}
