package flow

import (
	"encoding/hex"
	"fmt"
	"os"
	"testing"
)

// TestPrintGoldenFrames prints every named test frame as hex for
// testdata/capture-goldens.sh (set GOVS_PRINT_FRAMES=1).
func TestPrintGoldenFrames(t *testing.T) {
	if os.Getenv("GOVS_PRINT_FRAMES") == "" {
		t.Skip("set GOVS_PRINT_FRAMES=1 to print the frames for capture-goldens.sh")
	}
	for _, name := range []string{"tcp4syn", "udp6"} {
		fmt.Printf("frame %s %s\n", name, hex.EncodeToString(frameByName(t, name)))
	}
	fmt.Printf("frame geneve-udp4 %s\n", hex.EncodeToString(frameGeneve(t)))
	for _, c := range extractCases() {
		fmt.Printf("frame %s %s\n", c.name, hex.EncodeToString(c.frame(t)))
	}
}
