import { todoRoutes } from '@/contract/routes/todo'
import type { TodoItem } from '@/contract/todo'
import { call } from '@/services/http'

/** The signed-in member's 待办, soonest first (one request). */
export async function listTodos(): Promise<TodoItem[]> {
  const { todos } = await call(todoRoutes.myTodo)
  return todos
}
