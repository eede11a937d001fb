package io.blastradius.chaosmesh;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A Workflow as the file a team keeps in Git: YAML, headed by comments saying where it came from and what it
 * does not carry; and its check against {@code workflow.schema.json}, the Chaos Mesh fields the export emits
 * (every other field refused, so that a typo cannot reach a cluster).
 */
public final class WorkflowFile {

    static final String SCHEMA_RESOURCE = "/io/blastradius/chaosmesh/workflow.schema.json";
    private static final Schema SCHEMA = load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WorkflowFile() {
    }

    /** The file: the comment header, then the Workflow. */
    public static String yaml(ChaosMeshExport.Export export) {
        StringBuilder out = new StringBuilder();
        out.append("# Blast Radius experiment '").append(export.name()).append("' as a Chaos Mesh Workflow (blastradius export --to chaos-mesh)\n");
        out.append("# for the replica of k8s/ in its namespace. Not carried (these run only with blastradius run):\n");
        export.notCarried().forEach(line -> out.append("#   - ").append(line).append('\n'));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(160);
        out.append(new Yaml(options).dump(export.workflow()));
        return out.toString();
    }

    /** What in a Workflow the schema refuses, each as "path: message"; empty when it holds. */
    public static List<String> problems(Map<String, Object> workflow) {
        List<Error> errors = SCHEMA.validate(JSON.writeValueAsString(workflow), InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static Schema load() {
        try (InputStream in = WorkflowFile.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
