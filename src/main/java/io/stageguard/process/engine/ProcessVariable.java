package io.stageguard.process.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.spin.Spin;

/**
 * One process variable, declared once with its name and type (after holunda's camunda-bpm-data
 * {@code VariableFactory}): read and written only through this, so a name cannot be misspelt and a
 * value cannot arrive as another type. Primitives are stored as they are; anything else as Spin
 * JSON, the form Tasklist forms and Cockpit read.
 */
public final class ProcessVariable<T> {
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** The longest string the engine's history stores (its TEXT_ column). */
    static final int MAX_TEXT = 4000;

    private static final String CUT = " … (cut here; the reports have all of it)";
    private final String name;
    private final Class<T> primitive;
    private final TypeReference<T> json;

    private ProcessVariable(String name, Class<T> primitive, TypeReference<T> json) {
        this.name = name;
        this.primitive = primitive;
        this.json = json;
    }

    /** A String, Boolean, Integer, Long or Double variable. */
    public static <T> ProcessVariable<T> primitive(String name, Class<T> type) {
        return new ProcessVariable<>(name, type, null);
    }

    /** A structured value kept as JSON. */
    public static <T> ProcessVariable<T> json(String name, TypeReference<T> type) {
        return new ProcessVariable<>(name, null, type);
    }

    public String name() {
        return name;
    }

    /** The value, or null when the variable is not set. */
    public T from(VariableScope scope) {
        Object value = scope.getVariable(name);
        if (value == null) return null;
        if (primitive != null) {
            if (!primitive.isInstance(value)) {
                throw new IllegalArgumentException("variable " + name + " holds a "
                        + value.getClass().getSimpleName() + ", not a " + primitive.getSimpleName());
            }
            return primitive.cast(value);
        }
        try {
            return JSON.readValue(value.toString(), json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "variable " + name + " is not the JSON expected: " + e.getOriginalMessage(), e);
        }
    }

    /** A value of this variable's type from JSON text (what a person typed into a form). */
    public T parse(String text) {
        try {
            return JSON.readValue(text, json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** The value as the engine stores it: JSON as a Spin value, a text cut to what its history keeps. */
    Object stored(T value) {
        return value == null ? null : storedValue(value);
    }

    /** A value of this variable's type from what the engine holds. */
    T read(Object held) {
        if (held == null) return null;
        if (primitive != null) return primitive.cast(held);
        return parse(held.toString());
    }

    public void set(VariableScope scope, T value) {
        scope.setVariable(name, stored(value));
    }

    /** Adds this variable to the variables a process starts with. */
    public void putInto(Map<String, Object> variables, T value) {
        variables.put(name, stored(value));
    }

    private Object storedValue(T value) {
        if (value instanceof String text && text.length() > MAX_TEXT) {
            // the engine keeps a string in a 4000-character column: a long text (many findings) is cut, and says where
            // the rest is
            return text.substring(0, MAX_TEXT - CUT.length()) + CUT;
        }
        if (primitive != null) return value;
        try {
            return Spin.JSON(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write variable " + name + " as JSON", e);
        }
    }

    public void remove(VariableScope scope) {
        scope.removeVariable(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
