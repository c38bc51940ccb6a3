package io.schemagate.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity of one Alembic revision script, read from the module-level assignments Alembic itself
 * reads after importing it: {@code revision}, {@code down_revision} and {@code depends_on}, with or
 * without a type annotation, each a string literal, {@code None}, or a tuple or list of strings. The
 * file is read, never run: a script that computes these values is refused with its name, since
 * SchemaGate could only guess them.
 *
 * @param revision the revision id
 * @param downRevisions the revisions it follows: none for a root, two or more for a merge point
 * @param dependsOn revisions that must be applied first without being its parents (Alembic's depends_on)
 */
public record AlembicRevisionFile(
        String fileName, String revision, List<String> downRevisions, List<String> dependsOn) {

    private static final Set<String> READ = Set.of("revision", "down_revision", "depends_on");

    public AlembicRevisionFile {
        downRevisions = List.copyOf(downRevisions);
        dependsOn = List.copyOf(dependsOn);
    }

    /** @throws IllegalArgumentException naming the file when its identity cannot be read */
    public static AlembicRevisionFile parse(String fileName, String source) {
        Map<String, List<String>> values = new Scanner(fileName, source).assignments();
        List<String> revision = values.get("revision");
        if (revision == null || revision.size() != 1) {
            throw new IllegalArgumentException(fileName + ": no module-level revision = \"<id>\" assignment; "
                    + "Alembic needs one in every script of its versions folder");
        }
        return new AlembicRevisionFile(
                fileName,
                revision.get(0),
                values.getOrDefault("down_revision", List.of()),
                values.getOrDefault("depends_on", List.of()));
    }

    /**
     * Walks the source at module level only: inside a string, a comment or an indented block nothing
     * is an assignment, so a docstring that mentions {@code revision = ...} or a function that
     * assigns one changes nothing.
     */
    private static final class Scanner {
        private final String fileName;
        private final String text;
        private int position;

        Scanner(String fileName, String text) {
            this.fileName = fileName;
            this.text = text;
        }

        Map<String, List<String>> assignments() {
            Map<String, List<String>> values = new LinkedHashMap<>();
            while (position < text.length()) {
                char c = text.charAt(position);
                boolean lineStart = position == 0 || text.charAt(position - 1) == '\n';
                if (lineStart && Character.isJavaIdentifierStart(c)) {
                    String name = identifier();
                    if (READ.contains(name) && skipAnnotation()) {
                        values.put(name, literal(name));
                    }
                    skipToLineEnd();
                } else if (c == '#') {
                    skipToLineEnd();
                } else if (c == '"' || c == '\'') {
                    skipString();
                } else {
                    position++;
                }
            }
            return values;
        }

        private String identifier() {
            int start = position;
            while (position < text.length() && Character.isJavaIdentifierPart(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        /** After the name: an optional {@code : annotation}, then {@code =}; false when it is no assignment. */
        private boolean skipAnnotation() {
            skipSpaces();
            if (peek() == ':') {
                int depth = 0;
                position++;
                while (position < text.length()) {
                    char c = text.charAt(position);
                    if (c == '[' || c == '(') {
                        depth++;
                    } else if (c == ']' || c == ')') {
                        depth--;
                    } else if (depth == 0 && (c == '=' || c == '\n')) {
                        break;
                    }
                    position++;
                }
            }
            if (peek() != '=' || (position + 1 < text.length() && text.charAt(position + 1) == '=')) {
                return false;
            }
            position++;
            skipSpaces();
            return true;
        }

        private List<String> literal(String name) {
            char c = peek();
            if (text.startsWith("None", position)) {
                position += 4;
                return List.of();
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                position++;
                List<String> items = new ArrayList<>();
                while (true) {
                    skipBlank();
                    if (peek() == close) {
                        position++;
                        return items;
                    }
                    items.add(string(name));
                    skipBlank();
                    if (peek() == ',') {
                        position++;
                    } else if (peek() != close) {
                        throw unreadable(name);
                    }
                }
            }
            return List.of(string(name));
        }

        private String string(String name) {
            if (peek() == 'r' || peek() == 'u' || peek() == 'R' || peek() == 'U') {
                position++;
            }
            char quote = peek();
            if (quote != '"' && quote != '\'') {
                throw unreadable(name);
            }
            int end = text.indexOf(quote, position + 1);
            int newline = text.indexOf('\n', position + 1);
            if (end < 0
                    || (newline >= 0 && newline < end)
                    || text.substring(position + 1, end).contains("\\")) {
                throw unreadable(name);
            }
            String value = text.substring(position + 1, end);
            position = end + 1;
            if (value.isBlank()) {
                throw unreadable(name);
            }
            return value;
        }

        private IllegalArgumentException unreadable(String name) {
            int line = (int) text.substring(0, Math.min(position, text.length()))
                            .chars()
                            .filter(c -> c == '\n')
                            .count()
                    + 1;
            return new IllegalArgumentException(fileName + ", line " + line + ": " + name + " must be a string, None, "
                    + "or a tuple or list of strings, written out; SchemaGate reads it without running the script");
        }

        private void skipString() {
            char quote = text.charAt(position);
            String delimiter = text.startsWith(String.valueOf(quote).repeat(3), position)
                    ? String.valueOf(quote).repeat(3)
                    : String.valueOf(quote);
            position += delimiter.length();
            while (position < text.length() && !text.startsWith(delimiter, position)) {
                if (text.charAt(position) == '\\') {
                    position++;
                } else if (delimiter.length() == 1 && text.charAt(position) == '\n') {
                    return;
                }
                position++;
            }
            position += delimiter.length();
        }

        private void skipToLineEnd() {
            while (position < text.length() && text.charAt(position) != '\n') {
                char c = text.charAt(position);
                if (c == '"' || c == '\'') {
                    skipString();
                } else if (c == '#') {
                    while (position < text.length() && text.charAt(position) != '\n') {
                        position++;
                    }
                } else {
                    position++;
                }
            }
        }

        private void skipSpaces() {
            while (peek() == ' ' || peek() == '\t') {
                position++;
            }
        }

        /** Inside brackets Python joins lines, and comments may sit between items. */
        private void skipBlank() {
            while (true) {
                char c = peek();
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    position++;
                } else if (c == '#') {
                    while (position < text.length() && text.charAt(position) != '\n') {
                        position++;
                    }
                } else {
                    return;
                }
            }
        }

        private char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }
    }
}
