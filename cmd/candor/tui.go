package main

import (
	"context"
	"errors"
)

func runTUI(ctx context.Context, env *environment, args []string) error {
	return errors.New("the terminal UI is not wired yet")
}
