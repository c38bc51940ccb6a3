package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A risky statement found in a pending script by the change policy. */
public class FindingStatus {
    @JsonPropertyDescription("destructive, breaking or locking.")
    private String riskClass;

    @JsonPropertyDescription("The rule, such as drop-column or create-index-blocking (docs/review.md lists them).")
    private String rule;

    @JsonPropertyDescription("The script's file name.")
    private String script;

    @JsonPropertyDescription("The statement's first line in the script, from 1.")
    private Integer line;

    @JsonPropertyDescription("The statement, shortened.")
    private String statement;

    @JsonPropertyDescription("Why it is risky.")
    private String why;

    @JsonPropertyDescription("What to do instead.")
    private String instead;

    @JsonPropertyDescription("What spec.policy made of it: Warn, RequireApproval or Refuse; Allowed when the script "
            + "accepts it with -- schemagate:allow <rule>.")
    private String action;

    public String getRiskClass() {
        return riskClass;
    }

    public void setRiskClass(String riskClass) {
        this.riskClass = riskClass;
    }

    public String getRule() {
        return rule;
    }

    public void setRule(String rule) {
        this.rule = rule;
    }

    public String getScript() {
        return script;
    }

    public void setScript(String script) {
        this.script = script;
    }

    public Integer getLine() {
        return line;
    }

    public void setLine(Integer line) {
        this.line = line;
    }

    public String getStatement() {
        return statement;
    }

    public void setStatement(String statement) {
        this.statement = statement;
    }

    public String getWhy() {
        return why;
    }

    public void setWhy(String why) {
        this.why = why;
    }

    public String getInstead() {
        return instead;
    }

    public void setInstead(String instead) {
        this.instead = instead;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }
}
