import type { AddressInfo } from 'node:net'
import { startFakeWechat } from '../../support/fake-wechat'
import { startTestServer, type Engine, type TestServer } from '../../support/server'
import { Weapp, type LaunchOptions } from './driver'

/** The app id and secret the server and the fake WeChat agree on. */
const WECHAT_APP = { appId: 'wx-weapp-suite', appSecret: 'wx-weapp-secret' }

/** PostgreSQL when `DATABASE_URL` is set, else PGlite (one engine: one launch per process). */
export const ENGINE: Engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'

/** The demo roster's phone of a demo person (server/db/seed.ts: M0001 → 13800000001 …). */
export function rosterPhone(memberNo: string): string {
  const prefix = { M: '138', S: '139', L: '137', A: '136' }[memberNo[0]]
  if (!prefix) throw new Error(`no roster phone for ${memberNo}`)
  return `${prefix}0000${memberNo.slice(1)}`
}

/** A fresh server with the demo data, the fake WeChat, and the bundle launched against them. */
export interface WeappEnv {
  server: TestServer
  wechat: Awaited<ReturnType<typeof startFakeWechat>>
  weapp: Weapp
  /** A session as the app stores it after a sign-in, made through dev-login. */
  sessionOf(memberNo: string): Promise<unknown>
  /**
   * What another person does meanwhile, straight through the API as `memberNo`: the answer's
   * JSON (typed by the caller); throws unless the status is 2xx.
   */
  api<T>(
    memberNo: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<T>
  close(): Promise<void>
}

/**
 * Starts the real server (listening on a local port, so the bundle's requests travel over HTTP)
 * on a fresh database, and launches the bundle. `signedInAs`: the member whose session the app
 * finds in storage at launch; none means a first launch.
 */
export async function startWeapp(
  opts: { signedInAs?: string } & Omit<LaunchOptions, 'apiOrigin' | 'session'> = {},
): Promise<WeappEnv> {
  const wechat = await startFakeWechat(WECHAT_APP.appId, WECHAT_APP.appSecret)
  const server = await startTestServer(ENGINE, {
    wechat: { ...WECHAT_APP, baseUrl: wechat.baseUrl },
  })
  await server.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = server.app.server.address() as AddressInfo
  const sessionOf = async (memberNo: string) => {
    const res = await server.request({
      method: 'POST',
      url: '/api/v1/auth/dev-login',
      body: { memberNo },
    })
    if (res.statusCode !== 200) throw new Error(`dev-login ${memberNo}: ${res.body}`)
    return res.json() as unknown
  }
  const { signedInAs, ...launch } = opts
  const weapp = await Weapp.launch({
    ...launch,
    apiOrigin: `http://127.0.0.1:${port}`,
    session: signedInAs ? await sessionOf(signedInAs) : undefined,
  })
  return {
    server,
    wechat,
    weapp,
    sessionOf,
    async api<T>(
      memberNo: string,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
    ) {
      const token = await server.login(memberNo)
      const res = await server.request({ method, url: `/api/v1${url}`, token, body })
      if (res.statusCode < 200 || res.statusCode > 299) {
        throw new Error(`${method} ${url} as ${memberNo}: ${res.statusCode} ${res.body}`)
      }
      return res.json() as T
    },
    async close() {
      await weapp.close()
      await server.close()
      await wechat.close()
    },
  }
}
