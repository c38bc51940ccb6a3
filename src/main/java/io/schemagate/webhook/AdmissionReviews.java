package io.schemagate.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Reads the body of an admission review. What is wrong with a body it cannot read is said by where,
 * never by what: a pod's review carries its environment, passwords included, and the API server
 * logs a webhook's refusal, while the JSON parser's own messages quote the text they stopped at.
 */
final class AdmissionReviews {
    private AdmissionReviews() {}

    /** A body that is not an admission review with a request. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    static AdmissionReview read(KubernetesSerialization serialization, String body) throws Unreadable {
        AdmissionReview review;
        try {
            review = serialization.unmarshal(body, AdmissionReview.class);
        } catch (RuntimeException unreadable) {
            throw new Unreadable("not an AdmissionReview: " + where(unreadable));
        }
        if (review == null || review.getRequest() == null) {
            throw new Unreadable("an AdmissionReview without a request");
        }
        return review;
    }

    private static String where(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
                JsonLocation at = json.getLocation();
                return "unreadable JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
            }
        }
        return "unreadable (" + failure.getClass().getSimpleName() + ")";
    }
}
