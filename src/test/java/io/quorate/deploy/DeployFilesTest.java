package io.quorate.deploy;

import static io.quorate.deploy.DeployFiles.DOCKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the packaging without a Docker engine: every YAML under {@code docker/}
 * parses, the compose lab mounts and builds only files that exist, the Dockerfiles COPY only what
 * exists (or the shaded jar the pom names), and the agents' config passes the real validation with
 * the environment compose gives them.
 */
class DeployFilesTest {
  static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");

  static Map<String, Object> services() {
    return DeployFiles.map(DeployFiles.yaml(COMPOSE).get("services"), "services");
  }

  static Map<String, Object> service(String name) {
    return DeployFiles.map(services().get(name), "service " + name);
  }

  @Test
  void everyYamlUnderDockerParses() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(DOCKER)) {
      files = s.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList();
    }
    for (Path f : files) {
      assertTrue(!DeployFiles.yaml(f).isEmpty(), f + " is empty");
    }
    assertEquals(5, files.size(), "compose.yaml, the shared config, three region files: " + files);
  }

  @Test
  void composeRunsThreeRegionsAndTheRealServers() {
    assertEquals(
        new TreeSet<>(
            List.of(
                "agent-eu-west",
                "agent-us-east",
                "agent-ap-southeast",
                "bind",
                "knot",
                "web-1",
                "web-2",
                "web-3",
                "web-4",
                "mail")),
        new TreeSet<>(services().keySet()));
    for (String r : REGIONS) {
      Map<String, Object> a = service("agent-" + r);
      assertEquals(List.of(r, "mesh"), DeployFiles.strings(a.get("networks")), r);
      List<String> cmd = DeployFiles.strings(a.get("command"));
      Duration limit = DeployFiles.stopTimeout(cmd.subList(1, cmd.size()));
      Duration grace = DeployFiles.seconds(String.valueOf(a.get("stop_grace_period")));
      assertTrue(
          limit.plus(DeployFiles.STOP_OVERHEAD).compareTo(grace) < 0,
          r + ": --stop-timeout " + limit + " + overhead below stop_grace_period " + grace);
      assertEquals("SIGTERM", a.get("stop_signal"), r);
      assertEquals(Map.of("context", "..", "dockerfile", "docker/Dockerfile"), a.get("build"));
    }
    for (String s : List.of("bind", "knot", "web-1", "web-4", "mail")) {
      List<String> nets = DeployFiles.strings(service(s).get("networks"));
      assertTrue(nets.containsAll(REGIONS), s + " is reachable from every region: " + nets);
      assertTrue(!nets.contains("mesh"), s + " is not on the agents' mesh network");
    }
  }

  @Test
  void everyMountedFileEnvFileAndBuildContextExists() {
    Set<String> named =
        DeployFiles.map(DeployFiles.yaml(COMPOSE).get("volumes"), "volumes").keySet();
    int binds = 0;
    for (var e : services().entrySet()) {
      Map<String, Object> svc = DeployFiles.map(e.getValue(), e.getKey());
      for (String v : DeployFiles.strings(svc.get("volumes"))) {
        String src = v.substring(0, v.indexOf(':'));
        if (src.startsWith(".") || src.startsWith("/")) {
          assertTrue(Files.isRegularFile(DOCKER.resolve(src)), e.getKey() + " mounts " + src);
          binds++;
        } else {
          assertTrue(named.contains(src), e.getKey() + ": undeclared volume " + src);
        }
      }
      for (String f : DeployFiles.strings(svc.get("env_file"))) {
        assertTrue(Files.isRegularFile(DOCKER.resolve(f)), e.getKey() + " env_file " + f);
      }
      Path dockerfile = dockerfileOf(svc);
      assertTrue(Files.isRegularFile(dockerfile), e.getKey() + " builds " + dockerfile);
    }
    assertEquals(3 * 2 + 3 + 1 + 4 + 3, binds, "bind mounts in the lab");
  }

  /** The Dockerfile a service builds ({@code build: dir} or {@code {context, dockerfile}}). */
  static Path dockerfileOf(Map<String, Object> svc) {
    return contextOf(svc).resolve(dockerfileName(svc));
  }

  static Path contextOf(Map<String, Object> svc) {
    Object b = svc.get("build");
    String ctx = b instanceof Map<?, ?> m ? String.valueOf(m.get("context")) : String.valueOf(b);
    return DOCKER.resolve(ctx).normalize();
  }

  static String dockerfileName(Map<String, Object> svc) {
    return svc.get("build") instanceof Map<?, ?> m && m.get("dockerfile") != null
        ? String.valueOf(m.get("dockerfile"))
        : "Dockerfile";
  }

  @Test
  void everyCopySourceExistsInItsBuildContext() {
    Set<Path> seen = new HashSet<>();
    for (var e : services().entrySet()) {
      Map<String, Object> svc = DeployFiles.map(e.getValue(), e.getKey());
      Path file = dockerfileOf(svc);
      if (!seen.add(file)) {
        continue;
      }
      for (String ins : DeployFiles.dockerfile(file)) {
        String[] w = ins.split("\\s+");
        if (!w[0].equalsIgnoreCase("COPY") && !w[0].equalsIgnoreCase("ADD")) {
          continue;
        }
        List<String> args = new ArrayList<>(List.of(w).subList(1, w.length));
        if (args.stream().anyMatch(a -> a.startsWith("--from="))) {
          continue; // from a build stage: checked below for the jar
        }
        args.removeIf(a -> a.startsWith("--"));
        for (String src : args.subList(0, args.size() - 1)) {
          assertTrue(Files.exists(contextOf(svc).resolve(src)), file + ": " + ins);
        }
      }
    }
    assertEquals(Set.of(DOCKER.resolve("Dockerfile"), DOCKER.resolve("lab/Dockerfile")), seen);
  }

  @Test
  void theImageRunsTheShadedJarThePomBuilds() {
    String pom = DeployFiles.read(Path.of("pom.xml"));
    String finalName =
        pom.substring(pom.indexOf("<finalName>") + 11, pom.indexOf("</finalName>")).strip();
    List<String> ins = DeployFiles.dockerfile(DOCKER.resolve("Dockerfile"));
    assertTrue(
        ins.contains(
            "COPY --from=build /src/target/" + finalName + ".jar /opt/quorate/quorate.jar"),
        "the runtime stage copies target/" + finalName + ".jar: " + ins);
    assertTrue(ins.contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/quorate/quorate.jar\"]"));
    assertTrue(ins.contains("STOPSIGNAL SIGTERM"));
    String cmd = ins.stream().filter(i -> i.startsWith("CMD ")).findFirst().orElseThrow();
    List<String> args =
        List.of(cmd.substring(4).replaceAll("[\\[\\]\",]", " ").strip().split("\\s+"));
    assertEquals("run", args.get(0), cmd);
    assertEquals(Duration.ofSeconds(20), DeployFiles.stopTimeout(args.subList(1, args.size())));
    assertTrue(ins.contains("USER quorate:quorate"), "non-root");
    assertTrue(ins.contains("VOLUME [\"/var/lib/quorate\"]"));
    String env = ins.stream().filter(i -> i.startsWith("ENV JAVA_TOOL_OPTIONS=")).findFirst().get();
    assertTrue(env.endsWith("QUORATE_HEALTH_URL=http://127.0.0.1:8080/healthz"), env);
    assertTrue(
        ins.stream()
            .anyMatch(
                i ->
                    i.startsWith("HEALTHCHECK ")
                        && i.contains("curl -fsS --max-time 2 \"$QUORATE_HEALTH_URL\"")),
        "HEALTHCHECK asks /healthz (api/HealthResource)");
    for (String flag : DeployFiles.readmeJvmFlags()) {
      assertTrue(env.contains(flag + " ") || env.contains(flag + "\""), "image lacks " + flag);
    }
    assertTrue(DeployFiles.readmeJvmFlags().contains("-XX:+UseSerialGC"));
  }

  @Test
  void agentConfigsPassTheRealValidationWithTheComposeEnvironment() throws Exception {
    Set<String> hashes = new HashSet<>();
    for (String r : REGIONS) {
      Map<String, Object> svc = service("agent-" + r);
      Map<String, String> env = new HashMap<>();
      DeployFiles.strings(svc.get("env_file"))
          .forEach(f -> env.putAll(DeployFiles.envFile(DOCKER.resolve(f))));
      if (svc.get("environment") != null) {
        DeployFiles.map(svc.get("environment"), "environment")
            .forEach((k, v) -> env.put(k, String.valueOf(v)));
      }
      List<String> cmd = DeployFiles.strings(svc.get("command"));
      Path shared = hostPath(svc, cmd.get(cmd.indexOf("--config") + 1));
      Path region = hostPath(svc, cmd.get(cmd.indexOf("--region") + 1));
      LoadedConfig c = new ConfigLoader(env::get).load(shared, region);
      assertEquals(r, c.region().region());
      assertEquals("0.0.0.0", c.region().listen().host());
      assertEquals(8080, c.region().listen().port(), "the port the image's HEALTHCHECK asks");
      assertEquals(Path.of("/var/lib/quorate"), c.region().dataDir(), "the image's VOLUME");
      for (var peer : c.region().mesh().peers()) {
        assertEquals("http://agent-" + peer.region() + ":8080", peer.url());
      }
      hashes.add(c.sharedHash());
    }
    assertEquals(1, hashes.size(), "every agent mounts the same shared file");
  }

  /** The file in the repository that {@code svc} mounts at {@code containerPath}. */
  static Path hostPath(Map<String, Object> svc, String containerPath) {
    for (String v : DeployFiles.strings(svc.get("volumes"))) {
      String[] p = v.split(":");
      if (p[1].equals(containerPath)) {
        return DOCKER.resolve(p[0]).normalize();
      }
    }
    throw new AssertionError("nothing is mounted at " + containerPath);
  }
}
