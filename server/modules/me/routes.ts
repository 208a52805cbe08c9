import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { handle } from '../../lib/route'
import { memberTodos } from './todo'

/** The member's own overview: 待办. */
export async function meRoutes(app: FastifyInstance) {
  handle(app, routes.myTodo, {}, async ({ caller }) => ({
    todos: await memberTodos(app.db.db, caller, new Date()),
  }))
}
