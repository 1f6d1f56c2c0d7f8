package io.quorate.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses YAML text into a Jackson tree, strictly: duplicate keys, several documents and aliases
 * ({@code *name}, which Jackson's tree reader would silently turn into the alias's name) are
 * errors. A syntax error becomes one {@link ConfigError} with its line and column.
 */
final class YamlTree {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlTree() {}

  /**
   * The root of {@code text}: a mapping (an empty file is an empty mapping), or {@code null} after
   * recording a syntax error or a root of another type.
   */
  static JsonNode parse(String text, Errors errors) {
    JsonNode root;
    try (JsonParser parser = new NoAliases((YAMLParser) MAPPER.createParser(text))) {
      root = MAPPER.readTree(parser);
      if (parser.nextToken() != null) {
        JsonLocation loc = parser.currentTokenLocation();
        errors.add(
            "", at(loc.getLineNr(), loc.getColumnNr()) + "only one YAML document is allowed");
        return null;
      }
    } catch (JsonProcessingException e) {
      errors.add("", describe(e));
      return null;
    } catch (IOException e) {
      errors.add("", "cannot parse: " + e.getClass().getSimpleName());
      return null;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      errors.add("", "the top level must be a mapping");
      return null;
    }
    return root;
  }

  private static String describe(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      Mark mark = m.getProblemMark();
      return at(mark.getLine() + 1, mark.getColumn() + 1) + oneLine(m.getProblem());
    }
    String msg = e.getOriginalMessage();
    if (msg.startsWith("Duplicate field ")) {
      msg = "duplicate key " + msg.substring("Duplicate field ".length()).replace('\'', '"');
    }
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "yaml: " : at(loc.getLineNr(), loc.getColumnNr());
    return where + oneLine(msg);
  }

  private static String at(int line, int column) {
    return "yaml syntax error at line " + line + ", column " + column + ": ";
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** Refuses aliases as they are read, with the parser's location. */
  private static final class NoAliases extends JsonParserDelegate {
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    NoAliases(YAMLParser delegate) {
      super(delegate);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = super.nextToken();
      if (token == JsonToken.VALUE_NUMBER_INT && !DECIMAL.matcher(delegate.getText()).matches()) {
        // YAML 1.1 reads 0100 as octal 64 and 0x100 as 256: refuse rather than surprise
        throw new JsonParseException(
            this,
            "integer " + delegate.getText() + " is not plain decimal; write it in decimal digits",
            delegate.currentTokenLocation());
      }
      if (((YAMLParser) delegate).isCurrentAlias()) {
        throw new JsonParseException(
            this, "YAML aliases (*name) are not supported", delegate.currentTokenLocation());
      }
      return token;
    }
  }
}
