// Package store is Candor's persistence: one SQLite file per account (WAL
// mode, file mode 0600), with schema migrations applied in order.
//
// Each concern owns its tables in its own migration file under migrations/
// and its own file of queries in this package.
package store
