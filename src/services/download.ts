import Taro from '@tarojs/taro'
import { fileError, networkError } from '@/services/http'

/**
 * Where a saved file ended up: downloaded by the browser (H5), a path on the phone (weapp), or
 * opened in WeChat's document viewer (weapp), whose menu forwards it to a chat or a PC.
 */
export type SavedFile =
  | { kind: 'downloaded'; fileName: string }
  | { kind: 'saved'; path: string }
  | { kind: 'opened'; path: string }

/** The media type of an .xlsx workbook. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A file the server makes: its URL and headers (with the token), and the name to save it as. */
export interface RemoteFile {
  url: string
  header: Record<string, string>
  fileName: string
}

/** H5: hands a blob to the browser as a download named `fileName`. */
function browserDownload(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Revoke later: some browsers start the download after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/**
 * Puts an .xlsx the server makes in front of the person. On H5 it is fetched as a blob (the
 * request needs the bearer token, which a plain link cannot carry) and downloaded; in the
 * mini-program `downloadFile` fetches it to a temporary file and `openDocument` shows it, its
 * menu (`showMenu`) forwarding it to a chat or a PC. A refusal throws the server's `ApiError`.
 */
export async function openSpreadsheet(file: RemoteFile): Promise<SavedFile> {
  if (process.env.TARO_ENV === 'h5') {
    let res: Response
    try {
      res = await fetch(file.url, { headers: file.header })
    } catch {
      throw networkError()
    }
    if (!res.ok) throw fileError(res.status, await res.text().catch(() => undefined))
    browserDownload(file.fileName, await res.blob())
    return { kind: 'downloaded', fileName: file.fileName }
  }
  const done = await new Promise<Taro.downloadFile.FileSuccessCallbackResult>((resolve, reject) => {
    Taro.downloadFile({
      url: file.url,
      header: file.header,
      success: resolve,
      fail: () => reject(networkError()),
    })
  })
  if (done.statusCode < 200 || done.statusCode >= 300) throw fileError(done.statusCode)
  await Taro.openDocument({ filePath: done.tempFilePath, fileType: 'xlsx', showMenu: true })
  return { kind: 'opened', path: done.tempFilePath }
}

/**
 * Hands a text file to the person: on H5 the browser downloads it (Blob + object URL); in the
 * mini-program it is written to the user data folder and its path returned.
 */
export async function saveTextFile(
  fileName: string,
  text: string,
  mimeType: string,
): Promise<SavedFile> {
  if (process.env.TARO_ENV === 'h5') {
    browserDownload(fileName, new Blob([text], { type: mimeType }))
    return { kind: 'downloaded', fileName }
  }
  const path = `${Taro.env.USER_DATA_PATH}/${fileName}`
  await new Promise<void>((resolve, reject) => {
    Taro.getFileSystemManager().writeFile({
      filePath: path,
      data: text,
      encoding: 'utf8',
      success: () => resolve(),
      fail: (err) => reject(err),
    })
  })
  return { kind: 'saved', path }
}
