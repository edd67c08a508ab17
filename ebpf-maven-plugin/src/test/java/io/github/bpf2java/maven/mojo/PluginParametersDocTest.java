package io.github.bpf2java.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps the hand-written parameter tables of {@code docs/plugin-parameters.md} (one per goal, the first table after
 * the heading that names {@code ebpf:<goal>}) and the mojos' Javadoc true: both are checked against the plugin
 * descriptor that {@code maven-plugin-plugin} generated from the mojos (and from which {@code ./mvnw site} renders
 * the reference), so a parameter added, renamed or given another property or default fails this test until the docs
 * say so.
 */
class PluginParametersDocTest {
    /** Per goal, its parameters. */
    private static Map<String, Map<String, DescribedParameter>> descriptors;
    /** Per goal, the rows of its table. */
    private static Map<String, Map<String, List<String>>> tables;

    /** A user-settable parameter as the descriptor has it. */
    private record DescribedParameter(String name, String property, Optional<String> defaultValue,
            String description) {}

    @BeforeAll
    static void read() throws Exception {
        descriptors = readDescriptors();
        tables = new LinkedHashMap<>();
        for (String goal : descriptors.keySet()) {
            tables.put(goal, readTable(docsDirectory().resolve("plugin-parameters.md"), goal));
        }
    }

    @Test
    void descriptorHasTheGoalsParameters() {
        Map<String, DescribedParameter> descriptor = descriptors.get("generate");
        assertTrue(descriptor.keySet().containsAll(List.of("sourceDirectory", "targets", "cflags", "skip")),
                descriptor.keySet().toString());
        assertTrue(descriptors.get("check").keySet().containsAll(List.of("kernelBtfs", "failOnError", "skip")),
                descriptors.keySet().toString());
    }

    @Test
    void everyParameterHasARowWithItsPropertyAndDefault() {
        descriptors.forEach((goal, descriptor) -> everyParameterHasARowWithItsPropertyAndDefault(descriptor,
                tables.get(goal)));
    }

    private static void everyParameterHasARowWithItsPropertyAndDefault(Map<String, DescribedParameter> descriptor,
            Map<String, List<String>> table) {
        for (DescribedParameter parameter : descriptor.values()) {
            List<String> row = table.get(parameter.name());
            assertNotNull(row, "docs/plugin-parameters.md has no row for <" + parameter.name() + ">");
            assertEquals("`" + parameter.property() + "`", row.get(3), "user property of <" + parameter.name() + ">");
            String documentedDefault = row.get(2);
            parameter.defaultValue().ifPresentOrElse(
                    value -> assertTrue(documentedDefault.contains("`" + value + "`"), "default of <" + parameter.name()
                            + "> is `" + value + "` but the table says: " + documentedDefault),
                    () -> assertFalse(documentedDefault.isBlank(), "say what happens without <" + parameter.name()
                            + ">"));
        }
    }

    @Test
    void everyRowIsAParameter() {
        tables.forEach((goal, table) -> {
            for (String name : table.keySet()) {
                assertTrue(descriptors.get(goal).containsKey(name), "docs/plugin-parameters.md documents <" + name
                        + ">, which the goal " + goal + " does not have");
            }
        });
    }

    @Test
    void everyParametersJavadocNamesItsDefaultAndProperty() {
        for (DescribedParameter parameter : descriptors.values().stream().flatMap(d -> d.values().stream())
                .toList()) {
            String description = parameter.description().replaceAll("\\s+", " ");
            assertTrue(description.contains("Default: "), "<" + parameter.name() + ">'s Javadoc says no default: "
                    + description);
            assertTrue(description.contains("Property: " + parameter.property() + "."), "<" + parameter.name()
                    + ">'s Javadoc does not end with 'Property: " + parameter.property() + ".': " + description);
        }
    }

    private static Map<String, Map<String, DescribedParameter>> readDescriptors() throws Exception {
        Document plugin;
        try (InputStream in = PluginParametersDocTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertNotNull(in, "the plugin descriptor is generated before the tests run (process-classes)");
            plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Map<String, Map<String, DescribedParameter>> goals = new LinkedHashMap<>();
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            goals.put(text(mojo, "goal"), readDescriptor(mojo));
        }
        return goals;
    }

    private static Map<String, DescribedParameter> readDescriptor(Element mojo) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        NodeList parameters = ((Element) mojo.getElementsByTagName("parameters").item(0))
                .getElementsByTagName("parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            Element parameter = (Element) parameters.item(i);
            if (text(parameter, "editable").equals("true")) {
                descriptions.put(text(parameter, "name"), text(parameter, "description"));
            }
        }
        Map<String, DescribedParameter> result = new LinkedHashMap<>();
        NodeList configuration = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
        for (int i = 0; i < configuration.getLength(); i++) {
            if (configuration.item(i) instanceof Element e && descriptions.containsKey(e.getTagName())) {
                String expression = e.getTextContent().strip();
                assertTrue(expression.startsWith("${") && expression.endsWith("}"), "<" + e.getTagName()
                        + "> has no user property");
                String defaultValue = e.getAttribute("default-value");
                result.put(e.getTagName(), new DescribedParameter(e.getTagName(),
                        expression.substring(2, expression.length() - 1),
                        defaultValue.isEmpty() ? Optional.empty() : Optional.of(defaultValue),
                        descriptions.get(e.getTagName())));
            }
        }
        assertEquals(descriptions.keySet(), result.keySet(), "every editable parameter is configured");
        return result;
    }

    /**
     * The rows of the first Markdown table whose header starts with "Parameter" after the heading that names
     * {@code ebpf:<goal>}, by parameter name.
     */
    private static Map<String, List<String>> readTable(Path markdown, String goal) throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inSection = false;
        boolean inTable = false;
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") && !inTable) {
                inSection = line.contains("`ebpf:" + goal + "`");
            }
            if (inSection && line.startsWith("| Parameter |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            if (inTable && !line.startsWith("| ---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
                    cells.add(cell.strip());
                }
                String name = cells.get(0).replace("`", "");
                rows.put(name, cells);
            }
        }
        assertFalse(rows.isEmpty(), "no parameter table for ebpf:" + goal + " in " + markdown);
        return rows;
    }

    private static Path docsDirectory() {
        String root = System.getenv("EBPF_PROJECT_ROOT");
        Path base = root == null || root.isEmpty() ? Path.of("..") : Path.of(root);
        return base.resolve("docs");
    }

    private static String text(Element parent, String child) {
        Node node = parent.getElementsByTagName(child).item(0);
        return node == null ? "" : node.getTextContent();
    }
}
