import { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { TodoItem } from '@/contract/todo'
import { keptTimeText } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { todoText } from '@/features/home/todo-format'
import { useTodoStore } from '@/features/home/todo-store'
import './todo-list.scss'

/** Tab pages open with switchTab. */
const TAB_PAGES = ['/pages/home/index', '/pages/points/index', '/pages/me/index']

function open(todo: TodoItem) {
  void openPage(todo.link, TAB_PAGES.includes(todo.link) ? 'tab' : 'navigate')
}

/**
 * 待办 on the home page: what the member must act on, soonest first, each row opening its page;
 * 「事情都办完了」 when there is nothing. Loads on each show of the page and on pull-down.
 */
export function HomeTodos() {
  const { status, error, todos, keptAt, load } = useTodoStore()

  useDidShow(() => {
    void load()
  })
  usePullDownRefresh(() => {
    void load()
  })

  const now = new Date()
  return (
    <View className="home-todos" aria-label="待办">
      <Text className="section-title">待办</Text>
      {keptAt ? (
        <Text className="home-todo-kept">网络不可用，下面是 {keptTimeText(keptAt)} 的待办</Text>
      ) : null}
      {status === 'ready' || todos.length > 0 ? (
        todos.length === 0 ? (
          <View className="card home-todo-done">
            <Text className="home-todo-done-text">事情都办完了，暂时没有待办</Text>
          </View>
        ) : (
          todos.map((todo) => {
            const t = todoText(todo, now)
            return (
              <View
                key={todo.key}
                className={`card home-todo home-todo-${todo.kind}`}
                role="button"
                onClick={() => open(todo)}
              >
                <Text className="home-todo-label">{t.label}</Text>
                <View className="home-todo-body">
                  <Text className="home-todo-title">{t.title}</Text>
                  <Text className="home-todo-detail">{t.detail}</Text>
                  <Text className="home-todo-when">{t.when}</Text>
                </View>
                <Text className="home-todo-go" aria-hidden="true">
                  ›
                </Text>
              </View>
            )
          })
        )
      ) : status === 'error' ? (
        <View className="card home-todo-error">
          <Text className="home-todo-error-text">{error ?? '待办没能加载'}</Text>
          <Button className="btn btn-ghost home-todo-retry" onClick={() => void load()}>
            重试
          </Button>
        </View>
      ) : (
        <View className="card home-todo-loading skeleton" aria-busy="true">
          <Text className="muted">正在查看待办…</Text>
        </View>
      )}
    </View>
  )
}
