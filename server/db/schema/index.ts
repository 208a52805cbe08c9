/** The database schema, one file per module; drizzle-kit reads it from here. */
export * from './org'
export * from './identity'
export * from './points'
export * from './mall'
export * from './cooling'
export * from './events'
export * from './legal'
export * from './jobs'
