package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// GoListImporter returns a types.Importer that reads the export data the go
// command compiles for the packages of the module in dir (go list -export,
// once per new root package, with the build cache).
func GoListImporter(ctx context.Context, goCmd, dir string, env []string) types.Importer {
	if goCmd == "" {
		goCmd = "go"
	}
	l := &goList{ctx: ctx, goCmd: goCmd, dir: dir, env: env, export: map[string]string{}, failed: map[string]error{}}
	return importer.ForCompiler(token.NewFileSet(), "gc", l.lookup)
}

// goList finds export data with go list.
type goList struct {
	ctx   context.Context
	goCmd string
	dir   string
	env   []string

	mu     sync.Mutex
	export map[string]string // import path -> export data file
	failed map[string]error
}

func (l *goList) lookup(path string) (io.ReadCloser, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	file, ok := l.export[path]
	if !ok {
		if err := l.failed[path]; err != nil {
			return nil, err
		}
		if err := l.list(path); err != nil {
			l.failed[path] = err
			return nil, err
		}
		if file, ok = l.export[path]; !ok {
			err := fmt.Errorf("go list: no export data for %s", path)
			l.failed[path] = err
			return nil, err
		}
	}
	return os.Open(file)
}

// list runs go list -export -deps for path.
func (l *goList) list(path string) error {
	cmd := exec.CommandContext(l.ctx, l.goCmd, "list", "-e", "-export", "-deps", "-json=ImportPath,Export,Error", "--", path)
	cmd.Dir = l.dir
	if l.env != nil {
		cmd.Env = l.env
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go list %s: %w: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	dec := json.NewDecoder(&stdout)
	for {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("go list %s: %w", path, err)
		}
		if p.Error != nil && p.ImportPath == path {
			return fmt.Errorf("%s: %s", path, p.Error.Err)
		}
		if p.Export != "" {
			l.export[p.ImportPath] = p.Export
		}
	}
	return nil
}
