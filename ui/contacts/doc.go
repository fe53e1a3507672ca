// Package contacts is the sidebar: the open chats (numbered for alt+1…9,
// with unread counts and typing marks), pending presence requests, and the
// roster with presence. It returns an OpenRequested intent when the user
// picks an entry.
package contacts
