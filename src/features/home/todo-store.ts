import { create } from 'zustand'
import { z } from 'zod'
import { todoItem, type TodoItem } from '@/contract/todo'
import { keepAs, makeLoader, type Loadable, type LoadOptions } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'
import { listTodos } from '@/services/todo'

interface TodoState extends Loadable {
  /** What the member must act on, soonest first (as the server sorted it). */
  todos: TodoItem[]
  /** Loads the 待办 afresh (on each show of the home page and on pull-down). */
  load: (options?: LoadOptions) => Promise<void>
}

/** The home page's 待办; kept on the device, so the list shows offline with the time it was loaded. */
export const useTodoStore = create<TodoState>()((set, get) => ({
  status: 'idle',
  error: null,
  todos: [],
  load: makeLoader(set, get, async () => ({ todos: await listTodos() }), {
    keep: keepAs('todo', z.object({ todos: z.array(todoItem) })),
  }),
}))

registerReset(useTodoStore)
