package io.schemagate.webhook;

import io.fabric8.kubernetes.api.model.authentication.UserInfo;

/** Whether a user may approve the plans of a DatabaseMigration: the custom verb approve on it. */
@FunctionalInterface
public interface ApprovalAuthorizer {

    /**
     * @param name the resource's name; empty where a create generates it
     * @throws RuntimeException when no answer could be had: the approval is then refused
     */
    Access check(UserInfo user, String namespace, String name);

    /**
     * @param reason the authorizer's explanation, which may be empty (RBAC gives none for a denial)
     */
    record Access(boolean allowed, String reason) {}
}
