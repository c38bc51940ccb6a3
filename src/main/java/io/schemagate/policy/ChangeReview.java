package io.schemagate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Finds the risky statements of the scripts a run would apply, in their parse trees. A table created
 * earlier in the same plan is new: nothing runs against it yet, so locking or rewriting it is no risk.
 * A script the parser refuses is reported as such; the run itself would fail on it.
 */
public final class ChangeReview {
    /** {@code -- schemagate:allow drop-column, locking}: the script's author accepts these. */
    static final String ALLOW_MARKER = "schemagate:allow";

    private final PostgresParser parser;

    public ChangeReview(PostgresParser parser) {
        this.parser = parser;
    }

    public List<Finding> review(List<PendingScript> scripts) {
        Set<String> created = new HashSet<>();
        List<Finding> findings = new ArrayList<>();
        for (PendingScript script : scripts) {
            Set<String> allowed = allowedIn(script.sql());
            PostgresParser.Parse parse = parser.parse(script.sql());
            if (parse instanceof PostgresParser.Parse.Refused refused) {
                findings.add(new Finding(
                        RiskClass.breaking,
                        "syntax-error",
                        script.name(),
                        lineAt(script.sql(), Math.max(refused.position() - 1, 0)),
                        "",
                        "PostgreSQL's parser refuses the script: " + refused.message(),
                        "fix the script; the run would fail on it",
                        false));
                continue;
            }
            byte[] bytes = script.sql().getBytes(StandardCharsets.UTF_8);
            for (JsonNode raw : ((PostgresParser.Parse.Tree) parse).tree().path("stmts")) {
                Statement statement = Statement.of(raw, bytes);
                new Rules(statement, created)
                        .findings()
                        .forEach(found -> findings.add(new Finding(
                                found.riskClass(),
                                found.rule(),
                                script.name(),
                                statement.line(),
                                statement.text(),
                                found.why(),
                                found.instead(),
                                allowed.contains(found.rule())
                                        || allowed.contains(found.riskClass().name()))));
                created.addAll(createdTables(statement.node()));
            }
        }
        return findings;
    }

    /** The rules and classes the script's own {@code -- schemagate:allow} comments name. */
    static Set<String> allowedIn(String sql) {
        Set<String> allowed = new HashSet<>();
        sql.lines()
                .map(String::strip)
                .filter(line -> line.startsWith("--"))
                .map(line -> line.substring(2).strip())
                .filter(comment -> comment.startsWith(ALLOW_MARKER))
                .forEach(comment -> Stream.of(
                                comment.substring(ALLOW_MARKER.length()).split("[,\\s]+"))
                        .filter(word -> !word.isBlank())
                        .map(word -> word.toLowerCase(Locale.ROOT))
                        .forEach(allowed::add));
        return allowed;
    }

    private static Set<String> createdTables(JsonNode node) {
        JsonNode create = node.path("CreateStmt");
        if (create.isMissingNode()) {
            return Set.of();
        }
        // Both ways a later statement may name it.
        return new HashSet<>(List.of(
                Statement.table(create.path("relation")),
                create.path("relation").path("relname").asText()));
    }

    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * One statement of a parse: its node ({@code {"AlterTableStmt": …}}), where it starts and its
     * text. libpg_query gives byte offsets into the UTF-8 script, the leading blanks and comments
     * included.
     */
    record Statement(JsonNode node, int line, String text) {
        static Statement of(JsonNode raw, byte[] script) {
            int start = raw.path("stmt_location").asInt(0);
            int length = raw.path("stmt_len").asInt(script.length - start);
            String text = new String(
                    script,
                    start,
                    Math.min(length == 0 ? script.length - start : length, script.length - start),
                    StandardCharsets.UTF_8);
            int skipped = leadingBlanksAndComments(text);
            int line = 1
                    + (int) new String(script, 0, start, StandardCharsets.UTF_8)
                            .chars()
                            .filter(c -> c == '\n')
                            .count()
                    + (int) text.substring(0, skipped)
                            .chars()
                            .filter(c -> c == '\n')
                            .count();
            String statement = text.substring(skipped).strip().replaceAll("\\s+", " ");
            return new Statement(
                    raw.path("stmt"),
                    line,
                    statement.length() <= Finding.MAX_STATEMENT
                            ? statement
                            : statement.substring(0, Finding.MAX_STATEMENT - 3) + "...");
        }

        /** How many characters of blanks and comments come before the statement's first token. */
        private static int leadingBlanksAndComments(String text) {
            int i = 0;
            while (i < text.length()) {
                if (Character.isWhitespace(text.charAt(i))) {
                    i++;
                } else if (text.startsWith("--", i)) {
                    int end = text.indexOf('\n', i);
                    i = end < 0 ? text.length() : end + 1;
                } else if (text.startsWith("/*", i)) {
                    int end = text.indexOf("*/", i + 2);
                    i = end < 0 ? text.length() : end + 2;
                } else {
                    break;
                }
            }
            return i;
        }

        /** A RangeVar as {@code schema.table}, or {@code table} when unqualified. */
        static String table(JsonNode relation) {
            String schema = relation.path("schemaname").asText("");
            return (schema.isEmpty() ? "" : schema + ".")
                    + relation.path("relname").asText();
        }

        static Stream<JsonNode> each(JsonNode array) {
            return StreamSupport.stream(array.spliterator(), false);
        }
    }
}
