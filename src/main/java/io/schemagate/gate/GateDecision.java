package io.schemagate.gate;

/** What becomes of an opted-in pod: scheduled now, held by the gate, or refused at admission. */
public sealed interface GateDecision {

    /** Why, in words fit for a warning, an event or a log line. */
    String reason();

    /** The schema the pod needs is applied, or gating is off for it. */
    record Admit(String reason) implements GateDecision {}

    /** The pod waits behind the scheduling gate until the schema it needs is applied. */
    record Hold(String reason) implements GateDecision {}

    /** The pod asks for something that can never be answered: creating it fails with the reason. */
    record Refuse(String reason) implements GateDecision {}
}
