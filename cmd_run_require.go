package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/worker"
)

// The module versions of a notebook's third-party imports live in its
// metadata as gotrann.require: a list of "module@version", the %require
// pins and the versions the run resolved. "gotrann run" applies them
// before the first cell (as a %require) and writes them after the run, so
// that the written notebook runs with the same versions elsewhere.
const requireKey = "require"

// notebookRequire returns metadata.gotrann.require.
func notebookRequire(md map[string]any) ([]string, error) {
	g, _ := md["gotrann"].(map[string]any)
	if g == nil || g[requireKey] == nil {
		return nil, nil
	}
	list, ok := g[requireKey].([]any)
	if !ok {
		return nil, fmt.Errorf("metadata.gotrann.%s: want a list of \"module@version\" strings", requireKey)
	}
	var out []string
	for _, v := range list {
		s, ok := v.(string)
		if !ok || strings.ContainsAny(s, " \t\n") || !strings.Contains(s, "@") {
			return nil, fmt.Errorf("metadata.gotrann.%s: %v is not a \"module@version\" string", requireKey, v)
		}
		out = append(out, s)
	}
	return out, nil
}

// applyRequire pins the notebook's module versions in the session.
func applyRequire(ctx context.Context, sup *worker.Supervisor, md map[string]any) error {
	pins, err := notebookRequire(md)
	if err != nil || len(pins) == 0 {
		return err
	}
	var out captured
	res := sup.Execute(ctx, engine.Request{Code: "%require " + strings.Join(pins, " "), Silent: true}, &out)
	if res.Err != nil {
		return fmt.Errorf("applying the notebook's module versions (metadata.gotrann.%s): %s", requireKey, res.Err.Value)
	}
	return nil
}

// saveRequire records the session's module versions (what %require
// lists) in the notebook's metadata; a run that used no module leaves the
// metadata as it was.
func saveRequire(sup *worker.Supervisor, md map[string]any) {
	var out captured
	res := sup.Execute(context.Background(), engine.Request{Code: "%require", Silent: true}, &out)
	if res.Err != nil {
		return
	}
	list := requireLines(out.text())
	if len(list) == 0 {
		return
	}
	g, _ := md["gotrann"].(map[string]any)
	if g == nil {
		g = map[string]any{}
		md["gotrann"] = g
	}
	g[requireKey] = list
}

// requireLines returns the module@version of each line %require lists.
func requireLines(s string) []any {
	var list []any
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) >= 1 && strings.Contains(f[0], "@") {
			list = append(list, f[0])
		}
	}
	return list
}

// captured is an engine.Output that keeps stdout.
type captured struct {
	mu     sync.Mutex
	stdout strings.Builder
}

func (c *captured) Stream(name, text string) {
	if name == "stdout" {
		c.mu.Lock()
		c.stdout.WriteString(text)
		c.mu.Unlock()
	}
}

func (c *captured) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stdout.String()
}

func (c *captured) Display(engine.Bundle, string)      {}
func (c *captured) Update(engine.Bundle, string)       {}
func (c *captured) Clear(bool)                         {}
func (c *captured) Input(string, bool) (string, error) { return "", io.EOF }
