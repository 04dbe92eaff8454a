package godoc

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
)

// Magic starts every documentation file. The file is Magic, a little-endian
// uint32 n, n bytes of gzipped JSON index (a list of IndexEntry), then the
// concatenated per-package blobs, each gzipped JSON of a PackageData.
const Magic = "GOTRANN-GODOC-1\n"

// IndexEntry locates one package's blob in a documentation file. Off is
// relative to the end of the index. It is part of the file format shared
// with the generator.
type IndexEntry struct {
	Path     string
	Name     string
	Synopsis string
	Off, Len int
}

// PackageData is the content of one package's blob. It is part of the file
// format shared with the generator.
type PackageData struct {
	Path, Name, Synopsis, Doc string
	// Entries are the package-level symbols, sorted by Name.
	Entries []Entry
	// Members are the methods and fields, sorted by Recv then Name.
	Members []Entry
}

// Index is a documentation file opened for lookups. Its methods are safe
// for concurrent use.
type Index struct {
	index  []IndexEntry
	byPath map[string]int
	blobs  []byte
	slots  []slot
}

// slot decodes one package at most once.
type slot struct {
	once sync.Once
	pkg  *PackageData
	err  error
}

// Open parses the index of a documentation file. Packages are decoded on
// first use; data must not be modified afterwards.
func Open(data []byte) (*Index, error) {
	if !bytes.HasPrefix(data, []byte(Magic)) {
		return nil, errors.New("godoc: not a documentation file")
	}
	data = data[len(Magic):]
	if len(data) < 4 {
		return nil, errors.New("godoc: truncated index")
	}
	n := int(binary.LittleEndian.Uint32(data))
	data = data[4:]
	if n > len(data) {
		return nil, errors.New("godoc: truncated index")
	}
	var index []IndexEntry
	if err := decodeGzipJSON(data[:n], &index); err != nil {
		return nil, fmt.Errorf("godoc: index: %w", err)
	}
	x := &Index{index: index, byPath: make(map[string]int, len(index)), blobs: data[n:], slots: make([]slot, len(index))}
	for i, e := range index {
		if e.Off < 0 || e.Len < 0 || e.Off+e.Len > len(x.blobs) {
			return nil, fmt.Errorf("godoc: package %s: blob out of range", e.Path)
		}
		x.byPath[e.Path] = i
	}
	return x, nil
}

func decodeGzipJSON(b []byte, v any) error {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// PackageData returns the decoded documentation of the package pkgPath.
// The result is shared: the caller must not modify it.
func (x *Index) PackageData(pkgPath string) (*PackageData, error) {
	i, ok := x.byPath[pkgPath]
	if !ok {
		return nil, fmt.Errorf("godoc: no package %q", pkgPath)
	}
	s := &x.slots[i]
	s.once.Do(func() {
		e := x.index[i]
		var p PackageData
		if err := decodeGzipJSON(x.blobs[e.Off:e.Off+e.Len], &p); err != nil {
			s.err = fmt.Errorf("godoc: package %s: %w", pkgPath, err)
			return
		}
		s.pkg = &p
	})
	return s.pkg, s.err
}

// PackagePaths returns the import paths of all documented packages, sorted.
func (x *Index) PackagePaths() []string {
	paths := make([]string, len(x.index))
	for i, e := range x.index {
		paths[i] = e.Path
	}
	sort.Strings(paths)
	return paths
}

// Synopsis returns a package's name and synopsis without decoding it.
func (x *Index) Synopsis(pkgPath string) (name, synopsis string, ok bool) {
	i, ok := x.byPath[pkgPath]
	if !ok {
		return "", "", false
	}
	return x.index[i].Name, x.index[i].Synopsis, true
}

// Package returns the documentation of the package pkgPath.
func (x *Index) Package(pkgPath string) (PackageDoc, bool) {
	p, err := x.PackageData(pkgPath)
	if err != nil {
		return PackageDoc{}, false
	}
	members := make([]string, len(p.Entries))
	for i, e := range p.Entries {
		members[i] = e.Name
	}
	return PackageDoc{Path: p.Path, Name: p.Name, Synopsis: p.Synopsis, Doc: p.Doc, Members: members}, true
}

// Lookup returns the documentation of the package-level symbol name in
// pkgPath, e.g. ("fmt", "Println") or ("gonum.org/v1/gonum/mat", "Dense").
func (x *Index) Lookup(pkgPath, name string) (Entry, bool) {
	p, err := x.PackageData(pkgPath)
	if err != nil {
		return Entry{}, false
	}
	i := sort.Search(len(p.Entries), func(i int) bool { return p.Entries[i].Name >= name })
	if i < len(p.Entries) && p.Entries[i].Name == name {
		return p.Entries[i], true
	}
	return Entry{}, false
}

// LookupMethod returns the documentation of the method or exported field
// member of the type typeName in pkgPath, e.g. ("gonum.org/v1/gonum/mat",
// "Dense", "Mul").
func (x *Index) LookupMethod(pkgPath, typeName, member string) (Entry, bool) {
	p, err := x.PackageData(pkgPath)
	if err != nil {
		return Entry{}, false
	}
	less := func(e Entry) bool { return e.Recv < typeName || e.Recv == typeName && e.Name < member }
	i := sort.Search(len(p.Members), func(i int) bool { return !less(p.Members[i]) })
	if i < len(p.Members) && p.Members[i].Recv == typeName && p.Members[i].Name == member {
		return p.Members[i], true
	}
	return Entry{}, false
}
