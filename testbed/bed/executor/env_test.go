package executor

import "testing"

func TestExpand(t *testing.T) {
	vars := map[string]string{"A": "1", "B": "two"}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	for in, want := range map[string]string{
		"$(A)-$(B)":  "1-two",
		"$(MISSING)": "$(MISSING)",
		"$$(A)":      "$(A)",
		"cost $5":    "cost $5",
		"open $(A":   "open $(A",
		"end $":      "end $",
		"":           "",
		"x$(A)$(A)y": "x11y",
	} {
		if got := expand(in, lookup); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}
