// The 待办 route table lives beside its schemas; re-exported so every feature's table is here.
export { todoRoutes } from '../todo'
