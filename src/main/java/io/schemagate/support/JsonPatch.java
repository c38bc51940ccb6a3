package io.schemagate.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One RFC 6902 JSON patch operation; a list of them is a patch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"op", "path", "value"})
public record JsonPatch(String op, String path, Object value) {

    public static JsonPatch add(String path, Object value) {
        return new JsonPatch("add", path, value);
    }

    public static JsonPatch remove(String path) {
        return new JsonPatch("remove", path, null);
    }

    /** Fails the whole patch unless the value at the path is this one. */
    public static JsonPatch test(String path, Object value) {
        return new JsonPatch("test", path, value);
    }

    /** The path of a label, its key escaped as RFC 6901 asks (label keys hold a slash). */
    public static String labelPath(String key) {
        return "/metadata/labels/" + escaped(key);
    }

    /** The path of an annotation, its key escaped as for a label. */
    public static String annotationPath(String key) {
        return "/metadata/annotations/" + escaped(key);
    }

    private static String escaped(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    public static String write(List<JsonPatch> operations) {
        return Json.write(operations);
    }
}
