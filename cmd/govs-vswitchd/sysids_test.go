package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSystemIDs: system_type/system_version from os-release as ovs-ctl
// reads them (ID, VERSION_ID; "unknown" without the file or an ID).
func TestSystemIDs(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, text, typ, version string
	}{
		{"debian", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n", "debian", "12"},
		{"single-quoted", "ID='rhel'\nVERSION_ID='9.2'\n", "rhel", "9.2"},
		{"rolling", "ID=arch\n", "arch", ""},
		{"no-id", "NAME=x\n", "unknown", "unknown"},
	} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if typ, v := systemIDs(p); typ != c.typ || v != c.version {
			t.Errorf("%s: %q %q, want %q %q", c.name, typ, v, c.typ, c.version)
		}
	}
	if typ, v := systemIDs(filepath.Join(dir, "missing")); typ != "unknown" || v != "unknown" {
		t.Errorf("missing file: %q %q", typ, v)
	}
}
