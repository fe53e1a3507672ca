package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// RosterItem is one cached roster entry.
type RosterItem struct {
	JID          string
	Name         string
	Subscription string // none, to, from, both
	Ask          bool   // our subscription request is pending
	Groups       []string
}

// Roster returns the cached roster, ordered by JID.
func (s *Store) Roster(ctx context.Context) ([]RosterItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT jid, name, subscription, ask, groups FROM roster ORDER BY jid`)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	defer rows.Close()
	var out []RosterItem
	for rows.Next() {
		var it RosterItem
		var groups string
		if err := rows.Scan(&it.JID, &it.Name, &it.Subscription, &it.Ask, &groups); err != nil {
			return nil, err
		}
		if groups != "" {
			it.Groups = strings.Split(groups, "\n")
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ReplaceRoster replaces the whole cached roster and its version.
func (s *Store) ReplaceRoster(ctx context.Context, ver string, items []RosterItem) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM roster`); err != nil {
			return err
		}
		for _, it := range items {
			if err := putRosterItem(ctx, tx, it); err != nil {
				return err
			}
		}
		return setSyncState(ctx, tx, syncRosterVersion, ver)
	})
}

// ApplyRosterPush stores one pushed item (removing it when its subscription
// is "remove") and the new version.
func (s *Store) ApplyRosterPush(ctx context.Context, ver string, it RosterItem) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if it.Subscription == "remove" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM roster WHERE jid = ?`, it.JID); err != nil {
				return err
			}
		} else if err := putRosterItem(ctx, tx, it); err != nil {
			return err
		}
		if ver == "" {
			return nil
		}
		return setSyncState(ctx, tx, syncRosterVersion, ver)
	})
}

// RosterVersion is the version of the cached roster ("" when unknown).
func (s *Store) RosterVersion(ctx context.Context) (string, error) {
	return s.syncState(ctx, syncRosterVersion)
}

func putRosterItem(ctx context.Context, tx *sql.Tx, it RosterItem) error {
	// Newlines separate groups; a group name cannot hold one.
	groups := make([]string, 0, len(it.Groups))
	for _, g := range it.Groups {
		if g = strings.ReplaceAll(g, "\n", " "); g != "" {
			groups = append(groups, g)
		}
	}
	sub := it.Subscription
	if sub == "" {
		sub = "none"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO roster(jid, name, subscription, ask, groups) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(jid) DO UPDATE SET name = excluded.name, subscription = excluded.subscription,
		ask = excluded.ask, groups = excluded.groups`,
		it.JID, it.Name, sub, it.Ask, strings.Join(groups, "\n"))
	if err != nil {
		return fmt.Errorf("roster item %s: %w", it.JID, err)
	}
	return nil
}
