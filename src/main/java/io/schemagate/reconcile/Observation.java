package io.schemagate.reconcile;

import io.schemagate.api.RunStatus;
import io.schemagate.engine.RunSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything a reconcile observed of one resource that the planner decides on: the planner's only
 * input, so that a plan can be explained, and tested, from this record alone.
 *
 * @param generation the resource's metadata.generation: a run that failed for an older one may be tried again
 * @param retryRequest the value of the annotation {@link Labels#RETRY}, or null
 * @param view the database's revision against the declared scripts
 * @param digest digest of the scripts and the settings they run with
 * @param databaseKey what runs on the same history table share
 * @param jobs the resource's own Jobs
 * @param history the runs recorded in status, newest first
 * @param otherRunOnDatabase the Job of another resource migrating the same history table, if any
 * @param reached for revisions that are ids: those status shows the database has reached, newest first
 * @param adopted whether spec.adopt was carried out already (status.adoption)
 * @param approval whether a run waits for its plan to be approved, and which plan was
 * @param policy what the change policy found in the pending scripts
 */
public record Observation(
        String resourceName,
        long generation,
        String retryRequest,
        boolean suspended,
        ResolvedSource source,
        RunSettings settings,
        RevisionView view,
        String digest,
        String databaseKey,
        List<JobState> jobs,
        List<RunStatus> history,
        Optional<String> otherRunOnDatabase,
        Instant now,
        List<String> reached,
        boolean adopted,
        Approval approval,
        PolicyReview policy) {

    public Observation {
        jobs = List.copyOf(jobs);
        history = List.copyOf(history);
        reached = List.copyOf(reached);
    }

    /** A resource of ordered versions that asks for no adoption. */
    public Observation(
            String resourceName,
            long generation,
            String retryRequest,
            boolean suspended,
            ResolvedSource source,
            RunSettings settings,
            RevisionView view,
            String digest,
            String databaseKey,
            List<JobState> jobs,
            List<RunStatus> history,
            Optional<String> otherRunOnDatabase,
            Instant now) {
        this(
                resourceName,
                generation,
                retryRequest,
                suspended,
                source,
                settings,
                view,
                digest,
                databaseKey,
                jobs,
                history,
                otherRunOnDatabase,
                now,
                List.of(),
                false,
                Approval.NOT_REQUIRED,
                PolicyReview.NONE);
    }
}
