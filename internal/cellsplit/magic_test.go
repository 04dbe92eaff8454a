package cellsplit

import "testing"

func TestIsMagicLine(t *testing.T) {
	for l, want := range map[string]bool{
		"%time f()": true, "  %%bash": true, "!ls": true, "\t!echo hi": true,
		"x := 1 % 2": false, "": false, "// %time": false, "fmt.Println(\"!\")": false,
	} {
		if got := IsMagicLine(l); got != want {
			t.Errorf("IsMagicLine(%q) = %v, want %v", l, got, want)
		}
	}
}
