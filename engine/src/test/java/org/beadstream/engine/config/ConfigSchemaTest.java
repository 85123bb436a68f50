package org.beadstream.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSchemaTest {

    private final ConfigSchema schema = ConfigSchema.standard();

    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryParameterADescriptionAndAValidDefault() {
        final ResolvedConfig d = schema.defaults();
        for (final Parameter p : schema.parameters()) {
            assertTrue(p.description().length() > 10, p.key() + " needs a description");
            assertTrue(d.asMap().containsKey(p.key()), p.key());
        }
        assertEquals(0.7, d.getDouble("traces.neuropil_coefficient"));
        assertEquals("small", d.getText("simulation.preset"));
    }

    @Test
    void shouldReadANestedFileAndApplyOverridesOnTop() throws Exception {
        final Path f = Files.writeString(dir.resolve("c.json"),
                "{\"schema_version\":1,\"motion\":{\"block_size_px\":64,\"nonrigid\":false},"
                        + "\"acquisition\":{\"plane_order\":[1,0,2]}}");
        final ResolvedConfig c = schema.resolve(f, Map.of("motion.block_size_px", "96"), "test");
        assertEquals(96, c.getInt("motion.block_size_px"));
        assertEquals(false, c.getBoolean("motion.nonrigid"));
        assertEquals(2, c.getIntList("acquisition.plane_order")[2]);
    }

    @Test
    void shouldNameTheUnknownKeyTheFileAndSuggestTheNearestKey() throws Exception {
        final Path f = Files.writeString(dir.resolve("bad.json"), "{\"motion\":{\"blok_size_px\":64}}");
        final ConfigException e = assertThrows(ConfigException.class, () -> schema.resolve(f, Map.of(), "t"));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertTrue(e.getMessage().contains("'motion.blok_size_px'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'motion.block_size_px'"), e.getMessage());
    }

    @Test
    void shouldRejectOutOfRangeAndWrongTypeValuesNamingTheKeyAndRange() throws Exception {
        final Path f = Files.writeString(dir.resolve("r.json"), "{\"traces\":{\"neuropil_coefficient\":3.5}}");
        final ConfigException e = assertThrows(ConfigException.class, () -> schema.resolve(f, Map.of(), "t"));
        assertTrue(e.getMessage().contains("traces.neuropil_coefficient = 3.5 is out of range [0, 2]"),
                e.getMessage());
        final ConfigException t = assertThrows(ConfigException.class,
                () -> schema.resolve(null, Map.of("motion.nonrigid", "yes"), "t"));
        assertTrue(t.getMessage().contains("motion.nonrigid must be true or false, was yes"), t.getMessage());
        final ConfigException c = assertThrows(ConfigException.class,
                () -> schema.resolve(null, Map.of("traces.baseline", "median"), "t"));
        assertTrue(c.getMessage().contains("not one of percentile|maximin"), c.getMessage());
    }

    @Test
    void shouldRejectAFileWhoseSchemaVersionDiffers() throws Exception {
        final Path f = Files.writeString(dir.resolve("v.json"), "{\"schema_version\":99}");
        final ConfigException e = assertThrows(ConfigException.class, () -> schema.resolve(f, Map.of(), "t"));
        assertTrue(e.getMessage().contains("schema_version 99"), e.getMessage());
    }

    @Test
    void shouldWriteTheResolvedConfigurationThatReadsBackIdentically() {
        final ResolvedConfig c = schema.resolve(null, Map.of("simulation.seed", "7", "acquisition.plane_order", "2,1,0"),
                "t");
        final Path written = c.writeTo(dir.resolve("out"));
        final ResolvedConfig back = schema.resolve(written, Map.of(), "back");
        assertEquals(c.asMap(), back.asMap());
    }

    @Test
    void shouldKeepDocsConfigurationInStepWithTheSchema() throws Exception {
        final Path doc = Path.of("..", "docs", "configuration.md");
        final String text = Files.readString(doc);
        final String table = org.beadstream.engine.cli.ConfigCommandAccess.markdown(schema, schema.defaults());
        assertTrue(text.contains(table), "docs/configuration.md is stale: regenerate it with "
                + "'./beadstream config --format markdown'");
    }
}
