package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The pause image's archive is one containerd can import: every blob the index and manifest name
// is there under its digest, and the layer holds the program as an executable at the root.
func TestSingleFileImageIsAConsistentOCIArchive(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "pause.tar")
	if err := singleFileImage(archive, "schemagate.local/pause:test", "pause", []byte("#!program")); err != nil {
		t.Fatal(err)
	}
	files := untar(t, archive)
	var index struct {
		Manifests []struct {
			Digest      string
			Annotations map[string]string
		}
	}
	mustUnmarshal(t, files["index.json"], &index)
	if len(index.Manifests) != 1 || index.Manifests[0].Annotations["io.containerd.image.name"] != "schemagate.local/pause:test" {
		t.Fatalf("index = %+v", index)
	}
	manifest := blob(t, files, index.Manifests[0].Digest)
	var parsed struct {
		Config struct{ Digest string }
		Layers []struct{ Digest string }
	}
	mustUnmarshal(t, manifest, &parsed)
	blob(t, files, parsed.Config.Digest)
	layer := untarBytes(t, blob(t, files, parsed.Layers[0].Digest))
	if string(layer["pause"]) != "#!program" {
		t.Fatalf("layer holds %v", layer)
	}
}

func blob(t *testing.T, files map[string][]byte, digest string) []byte {
	t.Helper()
	data, ok := files["blobs/sha256/"+digest[len("sha256:"):]]
	if !ok || digestOf(data) != digest {
		t.Fatalf("blob %s missing or not matching its digest", digest)
	}
	return data
}

func untar(t *testing.T, path string) map[string][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return untarBytes(t, data)
}

func untarBytes(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	r := tar.NewReader(bytes.NewReader(data))
	for {
		header, err := r.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		files[header.Name] = content
	}
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
