package executor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// ImageConfigFile is an optional file in an image root directory that plays the role of an
// OCI image config: entrypoint, default arguments, environment and working directory for
// containers that do not set their own. It is not visible inside the sandbox.
const ImageConfigFile = ".bed-image.json"

// image is what a container runs from: a local root directory (the bed cannot pull), or
// the host itself for commands that exist on the host.
type image struct {
	ref    string
	root   string // "" for the host image
	id     string
	config imageConfig
}

type imageConfig struct {
	Entrypoint []string `json:"Entrypoint"`
	Cmd        []string `json:"Cmd"`
	Env        []string `json:"Env"`
	WorkingDir string   `json:"WorkingDir"`
	// Distroless images hold only their own files: the host's system directories (and so
	// its shell, cp and libraries) are not shared into their containers.
	Distroless bool `json:"Distroless"`
}

func (i *image) describe() string {
	if i.root == "" {
		return i.ref + " (host)"
	}
	return i.ref + " from " + i.root
}

// EscapeImageRef names an image's directory in the image store.
func EscapeImageRef(ref string) string {
	return strings.NewReplacer("/", "_", ":", "_", "@", "_").Replace(ref)
}

// resolveImage finds c's image root: an --image mapping, else <store>/<escaped ref>/. An
// unknown image still runs as the host when the container names a command that exists on
// the host (so smoke tests can use any image with `sh -c ...`).
func (e *Executor) resolveImage(c *corev1.Container) (*image, error) {
	img, err := e.storedImage(c.Image)
	if err == nil || len(c.Command) == 0 || !onHost(c.Command[0]) {
		return img, err
	}
	return &image{ref: c.Image, id: "bed-host://"}, nil
}

// storedImage is the image ref from the mappings or the image store, with its config.
func (e *Executor) storedImage(ref string) (*image, error) {
	dir, ok := e.cfg.Images[ref]
	storeDir := filepath.Join(e.cfg.ImageStore, EscapeImageRef(ref))
	if !ok {
		dir = storeDir
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("image %s is not in the test bed's local image store (%s)", ref, storeDir)
	}
	img := &image{ref: ref, root: dir, id: "bed-local://" + dir}
	data, err := os.ReadFile(filepath.Join(dir, ImageConfigFile))
	if err == nil {
		if err := json.Unmarshal(data, &img.config); err != nil {
			return nil, fmt.Errorf("image %s: %s: %v", ref, ImageConfigFile, err)
		}
	}
	return img, nil
}

func onHost(command string) bool {
	if strings.Contains(command, "/") {
		st, err := os.Stat(command)
		return err == nil && !st.IsDir()
	}
	for _, dir := range filepath.SplitList(defaultPath) {
		if st, err := os.Stat(filepath.Join(dir, command)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}
