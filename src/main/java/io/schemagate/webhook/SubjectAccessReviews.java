package io.schemagate.webhook;

import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.Approvals;
import java.util.Objects;

/**
 * Asks the API server's own authorizer, as {@code kubectl auth can-i} does, about exactly the user
 * of the request: name, uid, groups and extra, so that RBAC, webhooks and any other authorizer
 * configured there answer as they would for that user's own request.
 */
public final class SubjectAccessReviews implements ApprovalAuthorizer {
    private final KubernetesClient client;

    public SubjectAccessReviews(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Access check(UserInfo user, String namespace, String name) {
        SubjectAccessReview review = client.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(user.getUsername())
                        .withUid(user.getUid())
                        .withGroups(user.getGroups())
                        .withExtra(user.getExtra())
                        .withNewResourceAttributes()
                        .withGroup("schemagate.io")
                        .withResource("databasemigrations")
                        .withVerb(Approvals.VERB)
                        .withNamespace(namespace)
                        .withName(name)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        boolean allowed = review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getAllowed());
        String reason = review.getStatus() == null
                ? ""
                : Objects.toString(review.getStatus().getReason(), "")
                        + (review.getStatus().getEvaluationError() == null
                                ? ""
                                : " " + review.getStatus().getEvaluationError());
        return new Access(allowed, reason.strip());
    }
}
