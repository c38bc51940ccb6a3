package io.schemagate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's own parser, libpg_query, called through JNA: a script is parsed exactly as the server
 * would parse it, into its parse tree as JSON. Parsing runs nothing and needs no database. The
 * library is thread-safe: each call works in memory of its own.
 */
public final class PostgresParser {
    /** Where the image keeps the library (src/main/docker/Dockerfile.jvm). */
    public static final Path IMAGE_LIBRARY = Path.of("/opt/schemagate/lib/libpg_query.so");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** PgQueryError: message, funcname and filename pointers, then lineno and cursorpos. */
    private static final long CURSOR_OFFSET = 3L * Native.POINTER_SIZE + Integer.BYTES;

    /** The parse of a script: its statements' tree, or where and why the parser refused it. */
    public sealed interface Parse {
        /** @param tree {@code {"version": …, "stmts": [{"stmt": …, "stmt_location": …, "stmt_len": …}]}} */
        record Tree(JsonNode tree) implements Parse {}

        /** @param position the 1-based character offset of the error in the script, 0 when unknown */
        record Refused(String message, int position) implements Parse {}
    }

    private final LibPgQuery library;

    private PostgresParser(LibPgQuery library) {
        this.library = library;
    }

    /** @throws IllegalArgumentException when the library is not there or cannot be loaded */
    public static PostgresParser load(Path library) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("libpg_query is not at " + library);
        }
        try {
            return new PostgresParser(Native.load(library.toAbsolutePath().toString(), LibPgQuery.class));
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalArgumentException("libpg_query at " + library + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    public Parse parse(String script) {
        ParseResult.ByValue result = library.pg_query_parse(script);
        try {
            Pointer error = result.error;
            if (error != null) {
                return new Parse.Refused(error.getPointer(0).getString(0), error.getInt(CURSOR_OFFSET));
            }
            Pointer tree = result.parse_tree;
            if (tree == null) {
                throw new IllegalStateException("libpg_query returned neither a parse tree nor an error");
            }
            return new Parse.Tree(JSON.readTree(tree.getString(0)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("libpg_query returned a parse tree that is not JSON", e);
        } finally {
            library.pg_query_free_parse_result(result);
        }
    }

    /** The two functions of libpg_query's pg_query.h that SchemaGate calls. */
    interface LibPgQuery extends Library {
        ParseResult.ByValue pg_query_parse(String input);

        void pg_query_free_parse_result(ParseResult.ByValue result);
    }

    /** PgQueryParseResult of pg_query.h. */
    @Structure.FieldOrder({"parse_tree", "stderr_buffer", "error"})
    public static class ParseResult extends Structure {
        // Filled in by the library, read by JNA: null where pg_query leaves a pointer null.
        public @Nullable Pointer parse_tree;
        public @Nullable Pointer stderr_buffer;
        public @Nullable Pointer error;

        /** Returned by value, as pg_query_parse does. */
        public static class ByValue extends ParseResult implements Structure.ByValue {}
    }
}
