import type { PropsWithChildren } from 'react'
import { prefetchSignedInHome } from '@/services/prefetch'
import './app.scss'

// Signed in already: the home tab's data is on its way before its page's code arrives.
prefetchSignedInHome()

/** The app shell: pages render inside; the session store loads itself from storage. */
function App({ children }: PropsWithChildren) {
  return children
}

export default App
