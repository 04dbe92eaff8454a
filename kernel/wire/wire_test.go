package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files written by Go")

// golden is a frames file: frames are strings whose code points are the
// bytes of the frame (latin-1), so that binary buffers fit in JSON.
type golden struct {
	Comment string   `json:"comment"`
	Key     string   `json:"key"`
	Frames  []string `json:"frames"`
}

func (g golden) frames() [][]byte {
	out := make([][]byte, len(g.Frames))
	for i, s := range g.Frames {
		for _, r := range s {
			out[i] = append(out[i], byte(r))
		}
		if out[i] == nil {
			out[i] = []byte{}
		}
	}
	return out
}

func toLatin1(frames [][]byte) []string {
	out := make([]string, len(frames))
	for i, f := range frames {
		rs := make([]rune, len(f))
		for j, b := range f {
			rs[j] = rune(b)
		}
		out[i] = string(rs)
	}
	return out
}

func readGolden(t *testing.T, path string) golden {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// TestDecodeJupyterClient decodes frames produced by jupyter_client's
// Session.serialize, so the signature scheme matches the reference.
func TestDecodeJupyterClient(t *testing.T) {
	for _, tc := range []struct {
		file    string
		msgType string
		ids     int
		buffers int
	}{
		{"execute_request.json", "execute_request", 1, 0},
		{"comm_msg_buffers.json", "comm_msg", 2, 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			g := readGolden(t, filepath.Join("testdata", tc.file))
			key := []byte(g.Key)
			m, err := Decode(g.frames(), key)
			if err != nil {
				t.Fatal(err)
			}
			if m.Header.MsgType != tc.msgType || m.Header.Version != "5.3" || m.Header.Username != "alice" {
				t.Errorf("header = %+v", m.Header)
			}
			if len(m.Identities) != tc.ids || len(m.Buffers) != tc.buffers {
				t.Errorf("got %d identities, %d buffers; want %d, %d", len(m.Identities), len(m.Buffers), tc.ids, tc.buffers)
			}
			// Any change to a signed frame is rejected; a wrong key too.
			for i := 2; i < 6; i++ {
				fr := g.frames()
				d := len(m.Identities)
				fr[d+i] = append(fr[d+i], ' ')
				if _, err := Decode(fr, key); !errors.Is(err, ErrBadSignature) {
					t.Errorf("tampered frame %d: err = %v, want ErrBadSignature", i, err)
				}
			}
			if _, err := Decode(g.frames(), []byte("other key")); !errors.Is(err, ErrBadSignature) {
				t.Errorf("wrong key: err = %v", err)
			}
			// Without a key the signature is not checked.
			if _, err := Decode(g.frames(), nil); err != nil {
				t.Errorf("empty key: %v", err)
			}
			// Re-encoding keeps the dictionaries' meaning and verifies.
			fr, err := Encode(m, key)
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Decode(fr, key)
			if err != nil {
				t.Fatal(err)
			}
			if m2.Header != m.Header || !bytes.Equal(m2.Content, m.Content) || !reflect.DeepEqual(m2.Buffers, m.Buffers) ||
				!reflect.DeepEqual(m2.Identities, m.Identities) {
				t.Errorf("round trip changed the message:\n%+v\n%+v", m, m2)
			}
		})
	}
}

// TestEncodeGolden checks the exact frames Go writes for a fixed message.
func TestEncodeGolden(t *testing.T) {
	m := &Message{
		Identities: [][]byte{[]byte("kernel-peer")},
		Header: Header{MsgID: "00000000000000000000000000000001", Session: "s1", Username: "gotrann",
			Date: "2026-11-25T21:30:00.000000Z", MsgType: "stream", Version: ProtocolVersion},
		ParentHeader: json.RawMessage(`{"msg_id":"p"}`),
		Content:      json.RawMessage(`{"name":"stdout","text":"hello, world\n"}`),
		Buffers:      [][]byte{{0, 1, 2, 255}},
	}
	key := "secret"
	fr, err := Encode(m, []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "encode_stream.json")
	if *update {
		b, _ := json.MarshalIndent(golden{Comment: "written by TestEncodeGolden -update", Key: key, Frames: toLatin1(fr)}, "", " ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := readGolden(t, path)
	if !reflect.DeepEqual(g.frames(), fr) {
		t.Errorf("frames differ from %s:\n got %q\nwant %q", path, fr, g.frames())
	}
	if _, err := Decode(fr, []byte(key)); err != nil {
		t.Error(err)
	}
}

func TestDecodeErrors(t *testing.T) {
	key := []byte("k")
	hdr := `{"msg_id":"1","session":"s","username":"u","date":"d","msg_type":"kernel_info_request","version":"5.3"}`
	signed := func(h, p, md, c string) [][]byte {
		return [][]byte{[]byte("id"), []byte(Delimiter), []byte(Sign(key, []byte(h), []byte(p), []byte(md), []byte(c))),
			[]byte(h), []byte(p), []byte(md), []byte(c)}
	}
	for _, tc := range []struct {
		name   string
		frames [][]byte
		want   error
	}{
		{"nil", nil, ErrNoDelimiter},
		{"no delimiter", [][]byte{[]byte("a"), []byte("b")}, ErrNoDelimiter},
		{"delimiter last", [][]byte{[]byte("id"), []byte(Delimiter)}, ErrShortMessage},
		{"four after", [][]byte{[]byte(Delimiter), {}, []byte("{}"), []byte("{}"), []byte("{}")}, ErrShortMessage},
		{"bad hex", [][]byte{[]byte(Delimiter), []byte("zz"), []byte(hdr), []byte("{}"), []byte("{}"), []byte("{}")}, ErrBadSignature},
		{"empty signature", [][]byte{[]byte(Delimiter), {}, []byte(hdr), []byte("{}"), []byte("{}"), []byte("{}")}, ErrBadSignature},
		{"header not json", signed("{", "{}", "{}", "{}"), ErrMalformed},
		{"header array", signed("[]", "{}", "{}", "{}"), ErrMalformed},
		{"header no type", signed(`{"msg_id":"1"}`, "{}", "{}", "{}"), ErrMalformed},
		{"header wrong types", signed(`{"msg_id":1,"msg_type":"x"}`, "{}", "{}", "{}"), ErrMalformed},
		{"content not object", signed(hdr, "{}", "{}", "[1]"), ErrMalformed},
		{"parent garbage", signed(hdr, "{x", "{}", "{}"), ErrMalformed},
		{"metadata empty", signed(hdr, "{}", "", "{}"), ErrMalformed},
		{"ok", signed(hdr, "{}", "{}", "{}"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.frames, key)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConnectionFile(t *testing.T) {
	dir := t.TempDir()
	good := `{"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797,
	  "hb_port": 53798, "ip": "127.0.0.1", "key": "abc", "transport": "tcp",
	  "signature_scheme": "hmac-sha256", "kernel_name": "gotrann"}`
	for _, tc := range []struct {
		name, body, wantErr string
	}{
		{"good", good, ""},
		{"defaults", `{"ip":"127.0.0.1","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, ""},
		{"ipc", `{"transport":"ipc","ip":"/tmp/k","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, ""},
		{"malformed", `{"ip": `, "malformed JSON"},
		{"transport", strings.Replace(good, `"tcp"`, `"udp"`, 1), "unsupported transport"},
		{"scheme", strings.Replace(good, "hmac-sha256", "hmac-md5", 1), "signature_scheme"},
		{"no ip", strings.Replace(good, `"ip": "127.0.0.1",`, "", 1), "missing ip"},
		{"port range", strings.Replace(good, "53794", "70000", 1), "shell_port 70000"},
		{"ipc zero port", `{"transport":"ipc","ip":"/tmp/k"}`, "must be set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			ci, err := ReadConnectionFile(path)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if ci.Transport == "" || ci.SignatureScheme != "hmac-sha256" {
					t.Errorf("defaults not applied: %+v", ci)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want it to contain %q and the path", err, tc.wantErr)
			}
		})
	}
	_, err := ReadConnectionFile(filepath.Join(dir, "missing.json"))
	if err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestEndpoint(t *testing.T) {
	tcp := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1"}
	ipc := ConnectionInfo{Transport: "ipc", IP: "/tmp/kernel-1"}
	if got := tcp.Endpoint(5555); got != "tcp://127.0.0.1:5555" {
		t.Errorf("tcp: %s", got)
	}
	if got := ipc.Endpoint(3); got != "ipc:///tmp/kernel-1-3" {
		t.Errorf("ipc: %s", got)
	}
}

func TestNewMessageParent(t *testing.T) {
	g := readGolden(t, filepath.Join("testdata", "execute_request.json"))
	req, err := Decode(g.frames(), []byte(g.Key))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := NewMessage("execute_reply", "kernel-session", "gotrann", req, map[string]any{"status": "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rep.ParentHeader, req.RawHeader) || !reflect.DeepEqual(rep.Identities, req.Identities) {
		t.Errorf("reply parent %s ids %q", rep.ParentHeader, rep.Identities)
	}
	if rep.Header.Version != "5.3" || rep.Header.Date == "" || len(rep.Header.MsgID) != 32 {
		t.Errorf("header %+v", rep.Header)
	}
}

func BenchmarkEncodeDecode(b *testing.B) {
	m := &Message{
		Identities: [][]byte{[]byte("peer")},
		Header:     NewHeader("execute_request", "s", "u"),
		Content:    json.RawMessage(`{"code":"1+1","silent":false}`),
	}
	key := []byte("0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		fr, err := Encode(m, key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Decode(fr, key); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"execute_request.json", "comm_msg_buffers.json", "encode_stream.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		var g golden
		if err := json.Unmarshal(b, &g); err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Join(g.frames(), []byte{0}), []byte(g.Key))
		f.Add(bytes.Join(g.frames(), []byte{0}), []byte(nil))
	}
	f.Fuzz(func(t *testing.T, data, key []byte) {
		m, err := Decode(bytes.Split(data, []byte{0}), key)
		if err != nil {
			return
		}
		fr, err := Encode(m, key)
		if err != nil {
			t.Fatalf("encode of a decoded message: %v", err)
		}
		m2, err := Decode(fr, key)
		if err != nil {
			t.Fatalf("decode of a re-encoded message: %v", err)
		}
		if m2.Header != m.Header || !bytes.Equal(m2.Content, m.Content) {
			t.Fatalf("round trip: %+v != %+v", m2.Header, m.Header)
		}
	})
}
