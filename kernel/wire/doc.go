// Package wire is the Jupyter messaging wire format: the connection file,
// message headers, and the signed multipart frames exchanged over ZeroMQ.
//
// A message travels as
//
//	[identities…, "<IDS|MSG>", hmac_hex, header, parent_header, metadata, content, buffers…]
//
// where hmac_hex is the HMAC-SHA256 of the four JSON dictionaries under the
// connection file's key (empty when the key is empty). Decode rejects bad
// signatures and malformed frames with an error; it never panics. Replays
// remembers recent signatures, so that a receiver can drop a signed message
// replayed verbatim.
package wire
