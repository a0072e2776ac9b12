package dev.bulwark.kit.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.bulwark.kit.problem.RefusedValueException;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Refuses a NUL character ({@code \u0000}) in any string of any JSON body, and in map keys, while the body is read.
 * PostgreSQL cannot store 0x00 in text, so such a value would otherwise fail at the database as a 500 (or a 400 that
 * cannot name the field); here Jackson names the field it was found in.
 */
@Singleton
public class NulRefusingStrings implements ObjectMapperCustomizer {

    public static final String MESSAGE = "must not contain a NUL character (\\u0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("bulwark-nul-refusing-strings");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        mapper.registerModule(module);
    }

    /** True when the value holds a NUL character. */
    public static boolean hasNul(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '\u0000') {
                return true;
            }
        }
        return false;
    }

    private static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && hasNul(value)) {
                throw new RefusedValueException(parser, MESSAGE);
            }
            return value;
        }
    }

    private static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (hasNul(key)) {
                throw new RefusedValueException(context.getParser(), "keys " + MESSAGE);
            }
            return key;
        }
    }
}
