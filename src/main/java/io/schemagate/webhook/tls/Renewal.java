package io.schemagate.webhook.tls;

import java.util.List;

/** The certificates the Secret should hold, and why they differ from what it holds (nothing when equal). */
record Renewal(StoredCertificates certificates, List<String> reasons) {

    Renewal {
        reasons = List.copyOf(reasons);
    }

    boolean changed() {
        return !reasons.isEmpty();
    }
}
