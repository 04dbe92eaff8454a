package wire_test

import (
	"encoding/json"
	"fmt"

	"github.com/trannsformer/gotrann/kernel/wire"
)

func ExampleEncode() {
	m := &wire.Message{
		Identities: [][]byte{[]byte("client")},
		Header: wire.Header{MsgID: "1", Session: "s", Username: "u", Date: "2026-01-01T00:00:00.000000Z",
			MsgType: "kernel_info_request", Version: wire.ProtocolVersion},
	}
	frames, err := wire.Encode(m, []byte("key"))
	if err != nil {
		panic(err)
	}
	for _, f := range frames {
		fmt.Printf("%s\n", f)
	}
	// Output:
	// client
	// <IDS|MSG>
	// 6e9c4941818d02ade619ebb40ea5812f5a60f35811ea5399e5f60a90b087bb7a
	// {"msg_id":"1","session":"s","username":"u","date":"2026-01-01T00:00:00.000000Z","msg_type":"kernel_info_request","version":"5.3"}
	// {}
	// {}
	// {}
}

func ExampleDecode() {
	req, _ := wire.NewMessage("execute_request", "client-session", "alice", nil,
		map[string]any{"code": "1+1", "silent": false})
	frames, _ := wire.Encode(req, []byte("key"))

	m, err := wire.Decode(frames, []byte("key"))
	if err != nil {
		panic(err)
	}
	var c struct {
		Code string `json:"code"`
	}
	if err := m.DecodeContent(&c); err != nil {
		panic(err)
	}
	fmt.Println(m.Header.MsgType, c.Code)

	_, err = wire.Decode(frames, []byte("another key"))
	fmt.Println(err)

	reply, _ := wire.NewMessage("execute_reply", "kernel-session", "kernel", m, map[string]any{"status": "ok"})
	var parent wire.Header
	_ = json.Unmarshal(reply.ParentHeader, &parent)
	fmt.Println(parent.MsgID == m.Header.MsgID)
	// Output:
	// execute_request 1+1
	// wire: bad signature
	// true
}
