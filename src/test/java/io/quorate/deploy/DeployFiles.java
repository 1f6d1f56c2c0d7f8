package io.quorate.deploy;

import io.quorate.cli.RunCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * Readers for the packaging files under {@code docker/}: YAML with YAML 1.1 merge keys and aliases
 * resolved (as Docker Compose reads it; SnakeYAML, which Jackson YAML brings), a Dockerfile's
 * instructions with continuation lines joined, and a systemd unit as sections of repeated keys.
 */
final class DeployFiles {
  static final Path DOCKER = Path.of("docker");

  private DeployFiles() {}

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document's root mapping. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path p) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(read(p));
    if (!(root instanceof Map)) {
      throw new AssertionError(p + ": the root is not a mapping but " + root);
    }
    return (Map<String, Object>) root;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new AssertionError(what + " is not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  /** A list of strings, or a mapping's keys (compose allows both for networks). */
  static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> out.add(String.valueOf(k)));
    } else if (o instanceof List<?> l) {
      l.forEach(v -> out.add(String.valueOf(v)));
    } else if (o != null) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** Dockerfile instructions, one string each, continuation lines joined, comments dropped. */
  static List<String> dockerfile(Path p) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : read(p).split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && cur.length() == 0)) {
        continue;
      }
      boolean more = t.endsWith("\\");
      cur.append(more ? t.substring(0, t.length() - 1) : t).append(' ');
      if (!more) {
        out.add(cur.toString().strip().replaceAll("\\s+", " "));
        cur.setLength(0);
      }
    }
    return out;
  }

  /** A systemd unit: section → key → every value given (continuation lines joined). */
  static Map<String, Map<String, List<String>>> unit(Path p) {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> section = null;
    StringBuilder cur = new StringBuilder();
    for (String line : read(p).split("\n", -1)) {
      String t = line.strip();
      if (cur.length() == 0 && (t.isEmpty() || t.startsWith("#") || t.startsWith(";"))) {
        continue;
      }
      if (cur.length() == 0 && t.startsWith("[") && t.endsWith("]")) {
        section =
            sections.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
        continue;
      }
      boolean more = t.endsWith("\\");
      cur.append(more ? t.substring(0, t.length() - 1) : t).append(' ');
      if (!more) {
        String entry = cur.toString().strip().replaceAll("\\s+", " ");
        cur.setLength(0);
        int eq = entry.indexOf('=');
        if (section == null || eq <= 0) {
          throw new AssertionError(p + ": not a key=value line in a section: " + entry);
        }
        section
            .computeIfAbsent(entry.substring(0, eq).strip(), k -> new ArrayList<>())
            .add(entry.substring(eq + 1).strip());
      }
    }
    return sections;
  }

  /** {@code KEY=value} lines of an env file (compose's format; no quoting used here). */
  static Map<String, String> envFile(Path p) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : read(p).split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
      }
    }
    return env;
  }

  /**
   * How long {@code quorate run} may take after SIGTERM beyond its {@code --stop-timeout}: its
   * shutdown hook waits for the agent's stop at most 5 s more ({@code RunCommand.CLOSE_MS}), then
   * up to 10 s for Vert.x to close (ADR 0016). A service manager's grace must exceed the sum.
   */
  static final Duration STOP_OVERHEAD = Duration.ofSeconds(15);

  /**
   * The {@code --stop-timeout} of a {@code quorate run} command line ({@code args} after {@code
   * run}), parsed by the command's own picocli options (so a value {@code quorate run} would refuse
   * fails here too); fails when the option is not given explicitly.
   */
  static Duration stopTimeout(List<String> args) {
    CommandLine.ParseResult r =
        new CommandLine(new RunCommand()).parseArgs(args.toArray(String[]::new));
    Duration d = r.matchedOptionValue("--stop-timeout", null);
    if (d == null) {
      throw new AssertionError("no explicit --stop-timeout in " + args);
    }
    return d;
  }

  /** A whole number of seconds with an optional {@code s} ({@code 40}, {@code 40s}). */
  static Duration seconds(String value) {
    if (!value.matches("[0-9]{1,6}s?")) {
      throw new AssertionError("expected whole seconds such as 40 or 40s, got " + value);
    }
    return Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
  }

  /**
   * The JVM flags of the README's "JVM flags for a 512 MB VM" line, so the packaging cannot drift
   * from what was measured.
   */
  static List<String> readmeJvmFlags() {
    String readme = read(Path.of("README.md"));
    int at = readme.indexOf("**JVM flags for a 512 MB VM:**");
    if (at < 0) {
      throw new AssertionError("README.md has no 'JVM flags for a 512 MB VM' line");
    }
    String code = readme.substring(readme.indexOf('`', at) + 1);
    code = code.substring(0, code.indexOf('`'));
    List<String> flags = new ArrayList<>();
    for (String tok : code.split("\\s+")) {
      if (tok.startsWith("-X")) {
        flags.add(tok);
      }
    }
    return flags;
  }
}
