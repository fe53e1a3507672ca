package preview

import (
	"crypto/rand"
	"encoding/binary"

	tea "charm.land/bubbletea/v2"
)

// Key names one preview: a file drawn in at most Cols × Rows cells.
type Key struct {
	Path       string
	Cols, Rows int
}

// Ready is a finished rendering, delivered to the root as a message.
type Ready struct {
	Key   Key
	Image Image
	Err   error
}

// State is what the cache knows of a key.
type State int

const (
	Missing State = iota
	Pending
	Done
	Failed
)

type entry struct {
	state State
	img   Image
	err   error
}

// Cache keeps the previews drawn, at most maxEntries of them (the oldest
// go first). Only the UI loop uses it.
type Cache struct {
	mode    Mode
	entries map[Key]*entry
	order   []Key
	nextID  uint32
}

const maxEntries = 64

// NewCache returns an empty cache drawing in mode.
func NewCache(mode Mode) *Cache {
	var b [4]byte
	rand.Read(b[:])
	// Kitty image ids are per terminal window: start somewhere random so
	// that two programs in one window are unlikely to collide.
	return &Cache{mode: mode, entries: map[Key]*entry{}, nextID: binary.BigEndian.Uint32(b[:])&0x7fffff + 1}
}

// Mode is how this cache draws.
func (c *Cache) Mode() Mode { return c.mode }

// Get returns what is known of k.
func (c *Cache) Get(k Key) (Image, State, error) {
	e, ok := c.entries[k]
	if !ok {
		return Image{}, Missing, nil
	}
	return e.img, e.state, e.err
}

// Request starts drawing k unless it is known: the command renders off the
// UI loop and delivers Ready.
func (c *Cache) Request(k Key) tea.Cmd {
	if c.mode == Off {
		return nil
	}
	if _, ok := c.entries[k]; ok {
		return nil
	}
	c.put(k, &entry{state: Pending})
	c.nextID++
	id, mode := max(c.nextID&0xffffff, 1), c.mode
	return func() tea.Msg {
		img, err := safeRender(k, mode, id)
		return Ready{Key: k, Image: img, Err: err}
	}
}

func safeRender(k Key, mode Mode, id uint32) (img Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = Image{}, errPanic
		}
	}()
	return Render(k.Path, k.Cols, k.Rows, mode, id)
}

// Store keeps a finished rendering; for kitty it returns the command that
// sends the image to the terminal.
func (c *Cache) Store(r Ready) tea.Cmd {
	e := &entry{state: Done, img: r.Image}
	if r.Err != nil {
		e = &entry{state: Failed, err: r.Err}
	}
	c.put(r.Key, e)
	if r.Err == nil && r.Image.Transmit != "" {
		return tea.Raw(r.Image.Transmit)
	}
	return nil
}

func (c *Cache) put(k Key, e *entry) {
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = e
	for len(c.order) > maxEntries {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// StateOf is the most advanced state of any preview of path.
func (c *Cache) StateOf(path string) State {
	best := Missing
	for k, e := range c.entries {
		if k.Path == path && e.state > best {
			best = e.state
		}
	}
	return best
}
