package notebooks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"runtime"
	"strings"
)

// Kernel identity written into the metadata of every notebook Run executes.
const (
	KernelName        = "gotrann"
	KernelDisplayName = "Go (TraNNsformer)"
	KernelLanguage    = "go"
)

// Notebook is an nbformat 4 notebook.
//
// Metadata and the Extra maps keep whatever the file held, numbers as
// json.Number, so that unknown keys survive a read and a write unchanged.
type Notebook struct {
	Format      int            // nbformat: always 4
	FormatMinor int            // nbformat_minor
	Metadata    map[string]any // notebook metadata
	Cells       []*Cell
	// Extra holds unknown top-level keys, written back unchanged.
	Extra map[string]any
}

// cellIDPattern is nbformat 4.5's pattern for cell ids.
var cellIDPattern = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)

// ValidCellID reports whether id is a valid nbformat 4.5 cell id.
func ValidCellID(id string) bool { return cellIDPattern.MatchString(id) }

// Normalize upgrades nb to nbformat 4.5 in place: nbformat_minor becomes at
// least 5 and every cell gets a valid id unique in the notebook. Valid,
// unique ids are kept; missing, invalid or duplicate ones are replaced by
// ids derived from the cell's position and content, so that normalizing
// the same notebook twice gives the same ids.
func (nb *Notebook) Normalize() {
	if nb.FormatMinor < 5 {
		nb.FormatMinor = 5
	}
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	seen := make(map[string]bool, len(nb.Cells))
	fresh := make([]bool, len(nb.Cells))
	for i, c := range nb.Cells {
		if ValidCellID(c.ID) && !seen[c.ID] {
			seen[c.ID] = true
			continue
		}
		fresh[i] = true
	}
	for i, c := range nb.Cells {
		if fresh[i] {
			c.ID = derivedID(seen, fmt.Sprintf("%d\x00%s\x00%s", i, c.Type, c.Source))
		}
	}
}

// derivedID returns an 8-hex-digit id derived from key that is not in
// seen, and adds it to seen.
func derivedID(seen map[string]bool, key string) string {
	for salt := 0; ; salt++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, salt)))
		id := hex.EncodeToString(sum[:4])
		if !seen[id] {
			seen[id] = true
			return id
		}
	}
}

// SetKernel records the gotrann kernel in the notebook metadata:
// metadata.kernelspec {name, display_name, language} and
// metadata.language_info {name, version, mimetype, file_extension,
// pygments_lexer, codemirror_mode}. Other keys of both objects are kept.
func (nb *Notebook) SetKernel() {
	if nb.Metadata == nil {
		nb.Metadata = map[string]any{}
	}
	ks, _ := nb.Metadata["kernelspec"].(map[string]any)
	if ks == nil {
		ks = map[string]any{}
	}
	ks["name"] = KernelName
	ks["display_name"] = KernelDisplayName
	ks["language"] = KernelLanguage
	nb.Metadata["kernelspec"] = ks
	li, _ := nb.Metadata["language_info"].(map[string]any)
	if li == nil {
		li = map[string]any{}
	}
	for k, v := range LanguageInfo() {
		li[k] = v
	}
	nb.Metadata["language_info"] = li
}

// LanguageInfo returns the language_info of the Go session, as the kernel
// reports it in kernel_info_reply.
func LanguageInfo() map[string]any {
	return map[string]any{
		"name":            KernelLanguage,
		"version":         strings.TrimPrefix(runtime.Version(), "go"),
		"mimetype":        "text/x-go",
		"file_extension":  ".go",
		"pygments_lexer":  "go",
		"codemirror_mode": "go",
	}
}

// CellByTag returns the index of the first cell carrying tag in its
// metadata.tags, or -1.
func (nb *Notebook) CellByTag(tag string) int {
	for i, c := range nb.Cells {
		if c.HasTag(tag) {
			return i
		}
	}
	return -1
}
