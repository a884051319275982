package run

import (
	"os"
	"path/filepath"
)

// BinDirDefault guesses where govs binaries are: ./bin, then next to
// this executable.
func BinDirDefault() string {
	if _, err := os.Stat("bin/govs-vswitchd"); err == nil {
		if abs, err := filepath.Abs("bin"); err == nil {
			return abs
		}
	}
	if exe, err := os.Executable(); err == nil {
		return filepath.Dir(exe)
	}
	return "bin"
}
