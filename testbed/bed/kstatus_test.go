package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// gitopsDocuments holds `kubectl get dbm -o json` output of the operator in each state (see
// src/test/java/io/schemagate/gitops/ArgoHealthCheckTest.java for how each was taken).
const gitopsDocuments = "../../src/test/resources/gitops"

// TestKstatusOfTheOperatorsStatusDocuments exists because docs/gitops.md says Flux needs no
// health check for a DatabaseMigration: Flux's kustomize-controller judges the health of a
// custom resource (healthChecks, wait: true) with kstatus's generic rules. This computes, with the
// real kstatus library, what Flux sees for each state the operator was seen in.
func TestKstatusOfTheOperatorsStatusDocuments(t *testing.T) {
	const failedV5 = "run shop-b3edb67f6a-1 failed in V5__add_order_status.sql (SQLSTATE 42601): "
	tests := []struct {
		document string
		status   status.Status
		// message is kstatus's message; with messageOf it is the message of that condition in
		// the document and message is only a prefix of it.
		message   string
		messageOf string
		// reason is that of the condition kstatus derives (Reconciling for InProgress,
		// Stalled for Failed); empty when it derives none.
		reason string
	}{
		// Not seen by the operator yet: the CRD's default status has observedGeneration -1. Without
		// it, kstatus would call a resource without status Current.
		{document: "new.json", status: status.InProgressStatus,
			message: "DatabaseMigration generation is 1, but latest observed generation is -1",
			reason:  "LatestGenerationNotObserved"},
		{document: "current.json", status: status.CurrentStatus, message: "Resource is Ready"},
		{document: "running.json", status: status.InProgressStatus,
			message: "Job shop-628fcc3987-1 is applying migrations", reason: "MigrationRunning"},
		{document: "retrying-secret-not-found.json", status: status.InProgressStatus,
			message: "Secret orders-migrator not found in namespace gitops; retrying in 10s", reason: "SecretNotFound"},
		{document: "retrying-database-unreachable.json", status: status.InProgressStatus,
			message: "cannot read the schema history of jdbc:postgresql://127.0.0.1:1/inventory", messageOf: "Reconciling",
			reason: "DatabaseUnreachable"},
		{document: "stalled.json", status: status.FailedStatus, message: failedV5, messageOf: "Stalled",
			reason: "MigrationFailed"},
		// Reconciling and Stalled are False: kstatus falls back to Ready, which is False.
		{document: "suspended.json", status: status.InProgressStatus,
			message: "3 pending migrations (1, 2, 3); suspended, no run is started", messageOf: "Ready", reason: "Suspended"},
		{document: "awaiting-approval.json", status: status.InProgressStatus,
			message: "2 pending migrations (1, 2) waits for approval of plan ", messageOf: "Reconciling",
			reason: "AwaitingApproval"},
		// The status describes an older spec: its Stalled or Ready says nothing about this one.
		{document: "unobserved-stalled.json", status: status.InProgressStatus,
			message: "DatabaseMigration generation is 2, but latest observed generation is 1",
			reason:  "LatestGenerationNotObserved"},
		{document: "unobserved-ready.json", status: status.InProgressStatus,
			message: "DatabaseMigration generation is 3, but latest observed generation is 2",
			reason:  "LatestGenerationNotObserved"},
	}

	documents, err := filepath.Glob(filepath.Join(gitopsDocuments, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var covered []string
	for _, tt := range tests {
		covered = append(covered, tt.document)
	}
	for _, path := range documents {
		if !slices.Contains(covered, filepath.Base(path)) {
			t.Errorf("%s has no expected kstatus status here", path)
		}
	}

	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.document, ".json"), func(t *testing.T) {
			resource := readResource(t, filepath.Join(gitopsDocuments, tt.document))
			if resource.GetKind() != "DatabaseMigration" {
				t.Fatalf("kind %q, want DatabaseMigration", resource.GetKind())
			}

			result, err := status.Compute(resource)
			if err != nil {
				t.Fatalf("Compute: %v", err)
			}

			if result.Status != tt.status {
				t.Errorf("status %s (%q), want %s", result.Status, result.Message, tt.status)
			}
			want := tt.message
			if tt.messageOf != "" {
				want = conditionMessage(t, resource, tt.messageOf)
				if !strings.HasPrefix(want, tt.message) {
					t.Fatalf("the %s condition's message %q does not start with %q", tt.messageOf, want, tt.message)
				}
			}
			if result.Message != want {
				t.Errorf("message %q, want %q", result.Message, want)
			}
			var reasons []string
			for _, c := range result.Conditions {
				reasons = append(reasons, string(c.Type)+"/"+c.Reason)
			}
			var wantReasons []string
			switch {
			case tt.reason == "":
			case tt.status == status.FailedStatus:
				wantReasons = []string{"Stalled/" + tt.reason}
			default:
				wantReasons = []string{"Reconciling/" + tt.reason}
			}
			if !slices.Equal(reasons, wantReasons) {
				t.Errorf("derived conditions %v, want %v", reasons, wantReasons)
			}
		})
	}
}

// readResource decodes with the unstructured decoder, as the API machinery does: integers stay
// int64, which kstatus needs to compare metadata.generation with status.observedGeneration.
func readResource(t *testing.T, path string) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	resource := &unstructured.Unstructured{}
	if err := resource.UnmarshalJSON(data); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resource
}

func conditionMessage(t *testing.T, resource *unstructured.Unstructured, conditionType string) string {
	t.Helper()
	conditions, _, err := unstructured.NestedSlice(resource.Object, "status", "conditions")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conditions {
		if c, ok := c.(map[string]any); ok && c["type"] == conditionType {
			if message, ok := c["message"].(string); ok {
				return message
			}
		}
	}
	t.Fatalf("no %s condition with a message", conditionType)
	return ""
}
