package io.schemagate.runner;

public enum Outcome {
    Succeeded,
    Failed
}
