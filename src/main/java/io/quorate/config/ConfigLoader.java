package io.quorate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads and validates the shared file ({@code conf/quorate.yaml}) and one region's file. Strict:
 * unknown keys, wrong types and out-of-range values are errors, and <em>every</em> error is
 * collected with its YAML path ({@code targets[3].timeoutMs: must be > 0}) before a {@link
 * ConfigException} is thrown. Secrets are resolved through a {@link SecretResolver}. No I/O other
 * than reading the files named (and referenced secret and CA files); safe to call off the event
 * loop only.
 */
public final class ConfigLoader {
  /** Larger configuration files are refused. */
  public static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Set<String> SHARED_KEYS =
      Set.of(
          "regions",
          "quorum",
          "defaults",
          "groups",
          "targets",
          "zones",
          "pools",
          "alerts",
          "maintenance",
          "sla",
          "slos",
          "statusPage");
  private static final Set<String> DEFAULTS_KEYS =
      Set.of("intervalMs", "timeoutMs", "fall", "rise");
  private static final Set<String> GROUP_KEYS = Set.of("id", "name", "description", "quorum");

  private final SecretResolver secrets;

  /**
   * @param env environment lookup for {@code ${env:NAME}} secrets ({@code System::getenv})
   */
  public ConfigLoader(Function<String, String> env) {
    this.secrets = new SecretResolver(env);
  }

  /**
   * Loads the shared file and, when {@code regionFileOrNull} is given, that region's file (whose
   * {@code region} must then be one of the shared {@code regions}).
   *
   * @throws ConfigException with every error of both files
   */
  public LoadedConfig load(Path sharedFile, Path regionFileOrNull) throws ConfigException {
    List<ConfigError> all = new ArrayList<>();
    Errors sharedErrors = new Errors(sharedFile.toString());
    byte[] bytes = read(sharedFile, sharedErrors);
    Shared shared = Shared.NONE;
    if (bytes != null) {
      String text = decode(bytes, sharedErrors);
      shared = text == null ? Shared.NONE : readShared(text, sharedErrors, dirOf(sharedFile));
    }
    all.addAll(sharedErrors.list());
    RegionConfig region = null;
    if (regionFileOrNull != null) {
      Errors regionErrors = new Errors(regionFileOrNull.toString());
      byte[] regionBytes = read(regionFileOrNull, regionErrors);
      String text = regionBytes == null ? null : decode(regionBytes, regionErrors);
      if (text != null) {
        region = readRegion(text, regionErrors, dirOf(regionFileOrNull), shared.regions());
      }
      needsAuthoritative(shared.config(), region, regionErrors);
      all.addAll(regionErrors.list());
    }
    if (!all.isEmpty()) {
      throw new ConfigException(all);
    }
    return new LoadedConfig(shared.config(), region, sha256Hex(bytes));
  }

  /** Parses shared-file text; relative paths resolve against the working directory. */
  public QuorateConfig parseShared(String yaml, String fileName) throws ConfigException {
    Errors errors = new Errors(fileName);
    Shared shared = readShared(yaml, errors, null);
    throwIfAny(errors);
    return shared.config();
  }

  /**
   * Parses region-file text.
   *
   * @param baseDir directory {@code dataDir} is resolved against ({@code null}: working directory)
   * @param regions the shared region ids to check {@code region} against, or {@code null}
   */
  public RegionConfig parseRegion(String yaml, String fileName, Path baseDir, List<String> regions)
      throws ConfigException {
    Errors errors = new Errors(fileName);
    RegionConfig region = readRegion(yaml, errors, baseDir, regions);
    throwIfAny(errors);
    return region;
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private Shared readShared(String text, Errors errors, Path baseDir) {
    JsonNode json = YamlTree.parse(text, errors);
    if (json == null) {
      return Shared.NONE;
    }
    int mark = errors.count();
    YamlNode root = new YamlNode(json, "", errors);
    root.mapping(SHARED_KEYS);
    List<String> regions = regions(root.get("regions"));
    Integer regionCount = regions == null ? null : regions.size();
    QuorateConfig.Quorum quorum = QuorumReader.read(root.get("quorum"), regionCount);
    QuorateConfig.Defaults defaults = defaults(root.get("defaults"));
    Map<String, String> groupIds = new HashMap<>();
    List<QuorateConfig.Group> groups = groups(root.get("groups"), groupIds, regionCount);
    ReadContext ctx = new ReadContext(secrets, baseDir);
    // Invalid defaults are reported once, at defaults.*; targets then fall back to the built-ins.
    TargetReader reader =
        new TargetReader(
            defaults == null ? QuorateConfig.Defaults.DEFAULT : defaults, groupIds.keySet(), ctx);
    List<Target> targets = new ArrayList<>();
    for (YamlNode t : root.get("targets").itemsOrEmpty()) {
      Target target = reader.read(t);
      if (target != null) {
        targets.add(target);
      }
    }
    Set<String> targetIds = new HashSet<>();
    targets.forEach(t -> targetIds.add(t.id()));
    QuorumReader.checkReferences(root.get("quorum").get("referenceTargets"), targetIds);
    ZoneReader zones = new ZoneReader(ctx).read(root.get("zones"));
    List<Pool> pools = new PoolReader(zones.names(), targetIds).read(root.get("pools"));
    Set<String> subjects = new HashSet<>(targetIds);
    pools.forEach(p -> subjects.add(p.id()));
    subjects.addAll(regions == null ? List.of() : regions);
    Alerts alerts = new AlertsReader(ctx, subjects, groupIds.keySet()).read(root.get("alerts"));
    List<MaintenanceWindow> maintenance =
        new MaintenanceReader(targetIds, groupIds.keySet()).read(root.get("maintenance"));
    Objectives objectives =
        new ObjectivesReader(targetIds, groupIds.keySet()).read(root.get("sla"), root.get("slos"));
    StatusPage statusPage = new StatusPageReader(targetIds).read(root.get("statusPage"));
    if (errors.since(mark)) {
      return new Shared(regions, null);
    }
    return new Shared(
        regions,
        new QuorateConfig(
            regions,
            quorum,
            defaults,
            groups,
            targets,
            zones.zones(),
            pools,
            alerts,
            maintenance,
            objectives,
            statusPage));
  }

  /** Every agent serves the embedded zones: its region file must say where. */
  private static void needsAuthoritative(QuorateConfig shared, RegionConfig region, Errors errors) {
    if (shared == null || region == null || region.authoritative() != null) {
      return;
    }
    List<String> embedded =
        shared.zones().stream().filter(DnsZone::isEmbedded).map(DnsZone::zone).toList();
    if (!embedded.isEmpty()) {
      errors.add(
          "authoritative",
          "required: the shared config has embedded zones "
              + embedded
              + "; set authoritative.host and authoritative.port for this agent's DNS server");
    }
  }

  private RegionConfig readRegion(String text, Errors errors, Path baseDir, List<String> regions) {
    JsonNode json = YamlTree.parse(text, errors);
    if (json == null) {
      return null;
    }
    YamlNode root = new YamlNode(json, "", errors);
    return RegionReader.read(root, regions, new ReadContext(secrets, baseDir));
  }

  /** The region ids, or {@code null} when the list has any error. */
  private static List<String> regions(YamlNode node) {
    int mark = node.errors().count();
    if (!node.requirePresent()) {
      return null;
    }
    List<YamlNode> items = node.items();
    if (items != null && items.isEmpty()) {
      node.error("must not be empty");
    }
    Set<String> ids = new LinkedHashSet<>();
    Map<String, String> seen = new HashMap<>();
    for (YamlNode item : items == null ? List.<YamlNode>of() : items) {
      String id = Names.id(item, "region", seen);
      if (id != null) {
        ids.add(id);
      }
    }
    return node.errors().since(mark) ? null : List.copyOf(ids);
  }

  private static QuorateConfig.Defaults defaults(YamlNode node) {
    int mark = node.errors().count();
    node.mapping(DEFAULTS_KEYS);
    QuorateConfig.Defaults d = QuorateConfig.Defaults.DEFAULT;
    Long interval = TargetReader.intervalMs(node.get("intervalMs"), d.intervalMs());
    Long timeout = TargetReader.timeoutMs(node.get("timeoutMs"), interval, d.timeoutMs());
    Long fall = node.get("fall").integer(1, TargetReader.MAX_FALL_RISE, (long) d.fall());
    Long rise = node.get("rise").integer(1, TargetReader.MAX_FALL_RISE, (long) d.rise());
    if (node.errors().since(mark)) {
      return null;
    }
    return new QuorateConfig.Defaults(interval, timeout, fall.intValue(), rise.intValue());
  }

  private static List<QuorateConfig.Group> groups(
      YamlNode node, Map<String, String> ids, Integer regionCount) {
    List<QuorateConfig.Group> out = new ArrayList<>();
    for (YamlNode g : node.itemsOrEmpty()) {
      if (!g.mapping(GROUP_KEYS)) {
        continue;
      }
      String id = Names.id(g.get("id"), "group id", ids);
      String name = g.get("name").nonEmptyString();
      String description = g.get("description").string();
      Integer quorum = QuorumReader.size(g.get("quorum"), regionCount, null);
      if (id != null) {
        out.add(
            new QuorateConfig.Group(
                id, name == null ? id : name, description == null ? "" : description, quorum));
      }
    }
    return out;
  }

  private static byte[] read(Path file, Errors errors) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      errors.add("", "not a regular file");
      return null;
    }
    try (java.io.InputStream in = Files.newInputStream(file)) {
      // read at most one byte past the limit: a size reported wrongly (procfs) cannot hurt
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        errors.add("", "file is larger than " + MAX_FILE_BYTES + " bytes");
        return null;
      }
      return bytes;
    } catch (IOException e) {
      String why = Files.exists(file) ? e.getClass().getSimpleName() : "no such file";
      errors.add("", "cannot read file: " + why);
      return null;
    }
  }

  private static String decode(byte[] bytes, Errors errors) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      errors.add("", "file is not valid UTF-8");
      return null;
    }
  }

  private static Path dirOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  private static void throwIfAny(Errors errors) throws ConfigException {
    if (errors.count() > 0) {
      throw new ConfigException(errors.list());
    }
  }

  /** What the shared file yielded: its valid region list and, when error-free, the config. */
  private record Shared(List<String> regions, QuorateConfig config) {
    static final Shared NONE = new Shared(null, null);
  }
}
