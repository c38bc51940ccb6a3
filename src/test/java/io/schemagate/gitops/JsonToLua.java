package io.schemagate.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A JSON document as the Lua value Argo CD hands a health check as {@code obj}: objects become
 * tables keyed by name, arrays tables indexed from 1 (so {@code ipairs} walks them), null nil.
 */
final class JsonToLua {
    private JsonToLua() {}

    static LuaValue convert(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                LuaTable table = new LuaTable();
                node.fields().forEachRemaining(field -> table.set(field.getKey(), convert(field.getValue())));
                yield table;
            }
            case ARRAY -> {
                LuaTable table = new LuaTable();
                int index = 1;
                for (JsonNode item : node) {
                    table.set(index++, convert(item));
                }
                yield table;
            }
            case STRING -> LuaValue.valueOf(node.textValue());
            // Lua 5.1, the Lua of Argo CD's interpreter, has a single number type, a double.
            case NUMBER -> LuaValue.valueOf(node.doubleValue());
            case BOOLEAN -> LuaValue.valueOf(node.booleanValue());
            case NULL, MISSING -> LuaValue.NIL;
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }
}
