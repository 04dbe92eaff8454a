package export

import (
	"strconv"
	"strings"

	"github.com/trannsformer/gotrann/internal/cellsplit"
)

// A cell becomes a list of units: Go code, calls that do what a magic did,
// notes for magics a compiled program cannot do, and the brackets of a
// %time or %%time. The rules are the session's (kernel/session/magic.go):
// a cell magic is the cell's first non-blank line; line magics come first
// in a cell, before its Go code.

type unitKind int

const (
	unitGo        unitKind = iota // Go code of the cell
	unitCall                      // a Go statement doing what a magic did
	unitNote                      // a magic left out, as a comment
	unitTimeBegin                 // %time / %%time: what follows is timed
	unitTimeEnd
	unitPin // %require: module versions for go.mod, a comment in the cell
)

// unit is one piece of a cell.
type unit struct {
	kind unitKind
	text string // Go code, the statement of a call, the note
	// wantValue: a last expression statement of the code is the cell's
	// value (unitGo).
	wantValue bool
	line      int // 0-based line of the cell where text starts
}

// rtName is the name the exported program imports package exportrt as.
const rtName = "exportrt"

// magicInfo names the magics of the session.
var knownLineMagics = []string{"%help", "%lsmagic", "%time", "%who", "%reset", "%env", "%cd", "%require", "!"}

// isMagicLine reports whether a line is a line magic or shell command.
var isMagicLine = cellsplit.IsMagicLine

// cellUnits cuts a cell's code into units; warnings tell what a compiled
// program leaves out.
func cellUnits(code string) (us []unit, warnings []string) {
	lines := strings.Split(code, "\n")
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[first]), "%%") {
		return cellMagic(lines, first)
	}
	return lineMagics(lines, first)
}

func lineMagics(lines []string, first int) (us []unit, warnings []string) {
	i := first
	done := 0
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		if !isMagicLine(l) {
			break
		}
		done = i + 1
		if strings.HasPrefix(l, "%time ") || l == "%time" {
			stmt := strings.TrimSpace(strings.TrimPrefix(l, "%time"))
			if stmt == "" {
				us = append(us, unit{kind: unitNote, text: "%time without a statement", line: i})
				warnings = append(warnings, "%time without a statement is left out")
				continue
			}
			rest := strings.TrimSpace(strings.Join(lines[i+1:], "\n")) != ""
			us = append(us,
				unit{kind: unitTimeBegin, line: i},
				unit{kind: unitGo, text: stmt, wantValue: !rest, line: i},
				unit{kind: unitTimeEnd, line: i})
			if !rest {
				return us, warnings
			}
			continue
		}
		u, w := lineMagic(l)
		u.line = i
		us = append(us, u)
		if w != "" {
			warnings = append(warnings, w)
		}
	}
	if i >= len(lines) {
		return us, warnings
	}
	code := strings.Join(lines[done:], "\n")
	if strings.TrimSpace(code) != "" {
		us = append(us, unit{kind: unitGo, text: code, wantValue: true, line: done})
	}
	return us, warnings
}

// lineMagic translates one line magic; w is a warning when it is left out.
func lineMagic(l string) (u unit, w string) {
	call := func(f string, args ...string) unit {
		for i, a := range args {
			args[i] = strconv.Quote(a)
		}
		return unit{kind: unitCall, text: rtName + ".Must(" + rtName + "." + f + "(" + strings.Join(args, ", ") + "))"}
	}
	if cmd, ok := strings.CutPrefix(l, "!"); ok {
		return call("Shell", "/bin/sh", "-c", cmd), ""
	}
	name, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "%env":
		return call("Env", arg), ""
	case "%cd":
		return call("Cd", arg), ""
	case "%require":
		if arg == "" {
			return unit{kind: unitNote, text: l + " (lists the session's modules: left out)"}, "%require without modules lists the session's modules: left out"
		}
		return unit{kind: unitPin, text: strings.Join(strings.Fields(arg), " ")}, ""
	case "%help", "%lsmagic", "%who", "%reset":
		return unit{kind: unitNote, text: l + " (a session magic, left out)"}, name + " is a magic of the interactive session: left out"
	}
	return unit{kind: unitNote, text: l + " (unknown magic, left out)"},
		"unknown magic " + name + " (the magics are " + strings.Join(knownLineMagics, " ") + " %%time %%writefile %%bash %%sh): left out"
}

// cellMagic translates a cell whose first line is lines[first], a cell
// magic.
func cellMagic(lines []string, first int) (us []unit, warnings []string) {
	name, arg, _ := strings.Cut(strings.TrimSpace(lines[first]), " ")
	arg = strings.TrimSpace(arg)
	body := strings.Join(lines[first+1:], "\n")
	q := strconv.Quote
	switch name {
	case "%%time":
		rest := make([]string, len(lines))
		copy(rest[first+1:], lines[first+1:])
		inner, w := cellUnits(strings.Join(rest, "\n"))
		us = append(us, unit{kind: unitTimeBegin, line: first})
		us = append(us, inner...)
		us = append(us, unit{kind: unitTimeEnd, line: len(lines) - 1})
		return us, w
	case "%%writefile":
		appendTo := false
		if r, ok := strings.CutPrefix(arg, "-a "); ok {
			appendTo, arg = true, strings.TrimSpace(r)
		}
		if arg == "" {
			return []unit{{kind: unitNote, text: "%%writefile without a file name", line: first}},
				[]string{"%%writefile without a file name is left out"}
		}
		return []unit{{kind: unitCall, line: first, text: rtName + ".Must(" + rtName + ".WriteFile(" + q(arg) + ", " + q(body) + ", " + strconv.FormatBool(appendTo) + "))"}}, nil
	case "%%bash":
		return []unit{{kind: unitCall, line: first, text: rtName + ".Must(" + rtName + ".Shell(\"bash\", \"-c\", " + q(body) + "))"}}, nil
	case "%%sh":
		return []unit{{kind: unitCall, line: first, text: rtName + ".Must(" + rtName + ".Shell(\"/bin/sh\", \"-c\", " + q(body) + "))"}}, nil
	}
	return []unit{{kind: unitNote, text: name + " (unknown cell magic, the cell is left out)", line: first}},
		[]string{"unknown cell magic " + name + ": the cell is left out"}
}
