package kernel

// history is the in-memory input history of this kernel process: one
// session, whose line numbers are execution counts.
type history struct {
	session int
	entries []historyEntry
}

type historyEntry struct {
	line   int
	input  string
	output any // text/plain of the cell's value, or nil
}

// historyRequest is the content of a history_request.
type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

func (h *history) add(line int, input string, output any) {
	h.entries = append(h.entries, historyEntry{line: line, input: input, output: output})
}

// query answers a history_request with [session, line, input] triples, or
// [session, line, [input, output]] when output is asked for.
//
// tail gives the last n entries (default 10); range gives lines
// [start, stop) of a session (0 or this session's number; stop missing or 0
// means to the end; negative start counts from the end); search gives the
// entries whose input matches the glob pattern (*, ?, [...], [^...]),
// optionally unique by input (keeping the latest), and the last n of them.
func (h *history) query(req historyRequest) []any {
	var sel []historyEntry
	switch req.HistAccessType {
	case "tail":
		n := 10
		if req.N != nil {
			n = *req.N
		}
		sel = last(h.entries, n)
	case "range":
		if req.Session != 0 && req.Session != h.session {
			break
		}
		start := req.Start
		if start < 0 {
			start += len(h.entries) + 1
		}
		for _, e := range h.entries {
			if e.line >= start && (req.Stop == nil || *req.Stop <= 0 || e.line < *req.Stop) {
				sel = append(sel, e)
			}
		}
	case "search":
		pattern := req.Pattern
		if pattern == "" {
			pattern = "*"
		}
		seen := map[string]bool{}
		for i := len(h.entries) - 1; i >= 0; i-- { // newest first, for unique
			e := h.entries[i]
			if !globMatch(pattern, e.input) || (req.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			sel = append(sel, e)
		}
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
		if req.N != nil && *req.N > 0 {
			sel = last(sel, *req.N)
		}
	}
	out := make([]any, 0, len(sel))
	for _, e := range sel {
		var in any = e.input
		if req.Output {
			in = []any{e.input, e.output}
		}
		out = append(out, []any{h.session, e.line, in})
	}
	return out
}

func last(es []historyEntry, n int) []historyEntry {
	if n < 0 {
		n = 0
	}
	if n < len(es) {
		return es[len(es)-n:]
	}
	return es
}

// globMatch reports whether s matches pattern with SQLite GLOB rules, as
// IPython's history search uses: * is any run of characters (newlines
// included), ? one character, [abc], [a-z] and [^...] character classes.
// A malformed class matches nothing.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// Iterative matcher with backtracking to the last star.
	pi, ti := 0, 0
	starP, starT := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starT = pi, ti
				pi++
				continue
			case '?':
				pi++
				ti++
				continue
			case '[':
				if ok, next, valid := matchClass(p, pi, t[ti]); valid && ok {
					pi, ti = next, ti+1
					continue
				} else if !valid {
					return false
				}
			default:
				if p[pi] == t[ti] {
					pi++
					ti++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starT++
		pi, ti = starP+1, starT
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchClass matches c against the class starting at p[i] == '['. It
// returns whether c is in the class, the index after the class, and whether
// the class is well formed.
func matchClass(p []rune, i int, c rune) (ok bool, next int, valid bool) {
	i++
	negate := false
	if i < len(p) && p[i] == '^' {
		negate = true
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return ok != negate, i + 1, true
		}
		first = false
		lo := p[i]
		if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
			if lo <= c && c <= p[i+2] {
				ok = true
			}
			i += 3
			continue
		}
		if lo == c {
			ok = true
		}
		i++
	}
	return false, i, false
}
