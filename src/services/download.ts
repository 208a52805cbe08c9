import Taro from '@tarojs/taro'

/** Where a saved file ended up: downloaded by the browser (H5), or a path on the phone (weapp). */
export type SavedFile = { kind: 'downloaded'; fileName: string } | { kind: 'saved'; path: string }

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
    const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
    const link = document.createElement('a')
    link.href = url
    link.download = fileName
    link.style.display = 'none'
    document.body.appendChild(link)
    link.click()
    link.remove()
    // Revoke later: some browsers start the download after the click handler returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
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
