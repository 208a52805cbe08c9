// The stats route table lives beside its schemas; re-exported so every feature's table is here.
export { statsRoutes } from '../stats'
