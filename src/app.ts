import type { PropsWithChildren } from 'react'
import './app.scss'

/** The app shell: pages render inside; the session store loads itself from storage. */
function App({ children }: PropsWithChildren) {
  return children
}

export default App
