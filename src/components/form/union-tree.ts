import type { Union } from '@/contract/org'
import type { Member } from '@/contract/auth'

/** A union with its depth in the tree (0 for a root), for an indented list. */
export interface UnionRow {
  union: Union
  depth: number
}

/**
 * Orders a flat union list as a tree, depth first, siblings by name. Unions whose parent is missing
 * from the list are shown as roots so nothing disappears.
 */
export function unionTreeRows(unions: Union[]): UnionRow[] {
  const ids = new Set(unions.map((u) => u.id))
  const children = new Map<number | null, Union[]>()
  for (const union of unions) {
    const parent = union.parentId !== null && ids.has(union.parentId) ? union.parentId : null
    const list = children.get(parent) ?? []
    list.push(union)
    children.set(parent, list)
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))

  const rows: UnionRow[] = []
  const visit = (parent: number | null, depth: number) => {
    for (const union of children.get(parent) ?? []) {
      rows.push({ union, depth })
      visit(union.id, depth + 1)
    }
  }
  visit(null, 0)
  return rows
}

/**
 * The rows a member may manage: everything for admins, the staff union and the unions below it
 * for staff (the server checks again on every write).
 */
export function manageableRows(rows: UnionRow[], member: Member): UnionRow[] {
  if (member.roles.includes('admin')) return rows
  if (member.staffUnionId === undefined) return []
  const start = rows.findIndex((r) => r.union.id === member.staffUnionId)
  if (start < 0) return []
  // Rows are depth first: the subtree is the run of deeper rows after its root.
  const rootDepth = rows[start].depth
  let end = start + 1
  while (end < rows.length && rows[end].depth > rootDepth) end++
  return rows.slice(start, end).map((r) => ({ union: r.union, depth: r.depth - rootDepth }))
}
