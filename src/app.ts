import type { PropsWithChildren } from 'react'
import { prefetchSignedInHome } from '@/services/prefetch'
import { installPrivacyPrompt } from '@/services/privacy'
import './app.scss'

// Phone number and scan wait for the 用户隐私保护指引 the first time (weapp).
installPrivacyPrompt()

// Signed in already: the home tab's data is on its way before its page's code arrives.
prefetchSignedInHome()

/** The app shell: pages render inside; the session store loads itself from storage. */
function App({ children }: PropsWithChildren) {
  return children
}

export default App
